"""The archive's pages: the register book, a letter's page, routing and the services' inboxes."""

"""The `sijill` command line. It only parses, calls the apps' services and prints."""

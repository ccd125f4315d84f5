"""Reading a letter: reference, date, subject, sender and language, each with a confidence and
the span of text it came from."""

"""Deciding what a letter is and which service it goes to: administrator rules first, then a
model learnt from examples and from clerks' corrections."""

"""What every page shares: who is asking, navigation by role, labels, fonts."""

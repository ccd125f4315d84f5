"""The registry office's intake and review pages."""

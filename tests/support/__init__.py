"""Helpers that several test modules share: test modules import from here, never from each other
(importing a test module also collects its tests a second time under another name)."""

"""Helpers shared by several test folders (real parts simulated at the edge)."""

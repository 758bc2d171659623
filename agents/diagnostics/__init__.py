"""Diagnostics on the bench: disk health verdicts, self-test, surface scan, RAM, CPU, grade."""

"""What the libraries app asks of the apps built on it, without importing them."""

from django.dispatch import Signal

# Sent before the first figures GitHub gives for a library are stored, with `library` and `figure` (a name such
# as "contributors"). A receiver answers with that figure as known from elsewhere, or None; the articles app
# answers with what the newest post printed. It is the baseline of the guard against implausible drops.
printed_figure_wanted = Signal()

# Sent while a duplicate library is merged into the one kept, before the duplicate is deleted, with `keep` and
# `duplicate`. A receiver moves what refers to the duplicate to `keep` and answers with notes for the editor (a
# list of strings); the articles app moves the entries that rank it.
library_merging = Signal()

"""What the libraries app asks of the apps built on it, without importing them."""

from django.dispatch import Signal

# Sent before the first figures GitHub gives for a library are stored, with `library` and `figure` (a name such
# as "contributors"). A receiver answers with that figure as known from elsewhere, or None; the articles app
# answers with what the newest post printed. It is the baseline of the guard against implausible drops.
printed_figure_wanted = Signal()

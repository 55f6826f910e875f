"""Run a command as the terminal's foreground job: `make run` runs honcho through this.

Ctrl-C goes to the terminal's foreground process group. Were that make's group, make would get SIGINT too,
wait for honcho and then end itself by the signal (status 130), however cleanly honcho stopped. Here the
command gets a process group of its own and the terminal, as a shell gives a job: Ctrl-C reaches the command
alone, and make ends with the command's status. Without a terminal (CI, a pipe) the command simply runs.

`--announce URL BIN_DIR` prints the site's addresses once it is up (scripts/announce.py).
"""

import os
import signal
import subprocess
import sys
import threading

from announce import announce_when_up, ready_dir_prepare


def controlling_terminal() -> int | None:
    """The terminal's descriptor when this process's group is in its foreground; None otherwise."""
    try:
        terminal = os.open("/dev/tty", os.O_RDWR | os.O_NOCTTY)
    except OSError:
        return None
    if os.tcgetpgrp(terminal) != os.getpgrp():
        os.close(terminal)
        return None
    return terminal


def main(command: list[str]) -> int:
    if command[:1] == ["--announce"]:
        site_url, bin_dir, command = command[1], command[2], command[3:]
        ready_dir = ready_dir_prepare()
        threading.Thread(target=announce_when_up, args=(site_url, ready_dir, bin_dir), daemon=True).start()
    terminal = controlling_terminal()
    if terminal is None:
        return subprocess.call(command)
    process = subprocess.Popen(command, process_group=0)
    signal.signal(signal.SIGTTOU, signal.SIG_IGN)  # handing the terminal over and back from a background group
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # a Ctrl-C typed before the hand-over is the command's too
    foreground = os.getpgrp()
    try:
        os.tcsetpgrp(terminal, process.pid)
        return process.wait()
    finally:
        os.tcsetpgrp(terminal, foreground)
        os.close(terminal)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

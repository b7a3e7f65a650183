"""A text progress bar for long management commands, with no dependency."""

import time


class ProgressBar:
    """Redrawn in place on a terminal; elsewhere (a log, a pipe) a line every ``step`` percent."""

    width = 30
    step = 5

    def __init__(self, stream, label):
        self.stream, self.label, self.started = stream, label, time.monotonic()
        self.interactive = stream is not None and stream.isatty()
        self.next_percent = 0

    def update(self, done, total):
        if self.stream is None:
            return
        filled = self.width * done // total if total else self.width
        percent = 100 * done // total if total else 100
        line = (
            f"{self.label} [{'#' * filled}{'.' * (self.width - filled)}] {percent:3d}% "
            f"{done}/{total} {time.monotonic() - self.started:.0f}s"
        )
        if self.interactive:
            self.stream.write("\r" + line, ending="")
            self.stream.flush()
        elif percent >= self.next_percent:
            self.stream.write(line)
            self.next_percent = percent - percent % self.step + self.step

    def stage(self, text):
        """A step after the bar's (an index rebuilt): said on a line of its own, timed."""
        if self.stream is None:
            return
        if self.interactive:
            self.stream.write("")
            self.interactive = False
        self.stream.write(f"{self.label}: {text} ({time.monotonic() - self.started:.0f}s)")

    def finish(self):
        if self.interactive:
            self.stream.write("")

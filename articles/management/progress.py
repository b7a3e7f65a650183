"""A text progress bar for long management commands, with no dependency."""

import time


class ProgressBar:
    width = 30

    def __init__(self, stream, label):
        self.stream, self.label, self.started = stream, label, time.monotonic()

    def update(self, done, total):
        if self.stream is None:
            return
        filled = self.width * done // total if total else self.width
        percent = 100 * done // total if total else 100
        self.stream.write(
            f"\r{self.label} [{'#' * filled}{'.' * (self.width - filled)}] {percent:3d}% "
            f"{done}/{total} {time.monotonic() - self.started:.0f}s",
            ending="",
        )
        self.stream.flush()

    def finish(self):
        if self.stream is not None:
            self.stream.write("")

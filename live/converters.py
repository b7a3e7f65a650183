"""Row ids in paths: at most 18 digits, so that every database can compare them (a bigger
number overflows SQLite's integers before any row is looked up); longer paths are a 404."""


class RowId:
    regex = "[0-9]{1,18}"

    def to_python(self, value):
        return int(value)

    def to_url(self, value):
        return str(value)

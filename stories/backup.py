"""Stories' share of the archive that export_archive writes and import_archive restores."""

from articles.management.backup import Part, stored_names
from stories.models import ArticlePlace, Place, Story, StoryPiece


def datasets():
    # Pieces and places' links keep their copy of the article's publication time as archived.
    return [
        (Place, Place.objects.all()),
        (Story, Story.objects.all()),
        (StoryPiece, StoryPiece.objects.all()),
        (ArticlePlace, ArticlePlace.objects.all()),
    ]


def media_names():
    return stored_names(Story, ["image"], "image_renditions")


PART = Part(datasets, media_names)

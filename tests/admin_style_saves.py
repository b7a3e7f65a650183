"""One editor saving an article again and again as the admin does; run by test_sqlite_writers.

``python -m tests.admin_style_saves PK SAVES NAME`` prints how many saves failed, and why.
"""

import os
import sys
from collections import Counter

import django


def main(pk, saves, name):
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
    django.setup()
    from django.db import DatabaseError, transaction

    from articles.models import Article

    failures = Counter()
    for n in range(saves):
        try:
            # As ArticleAdmin's change form: one transaction, the row held, then the save.
            with transaction.atomic():
                Article.objects.select_for_update().filter(pk=pk).exists()
                article = Article.objects.get(pk=pk)
                article.standfirst = f"{name} {n}"
                article.save()
        except DatabaseError as error:
            failures[str(error)] += 1
    print(sum(failures.values()), dict(failures))


if __name__ == "__main__":
    main(int(sys.argv[1]), int(sys.argv[2]), sys.argv[3])

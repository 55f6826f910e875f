"""python manage.py import_shipped_content: the shipped catalogue and articles, into a site that has no post yet."""

from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from articles.models import Post


class Command(BaseCommand):
    help = (
        "Import content/libraries.yaml and content/*.md when the database holds no post yet. A site that has "
        "posts is left as it is: what editors changed is never overwritten by the shipped files."
    )

    def handle(self, *args, **options):
        if Post.objects.exists():
            self.stdout.write("The site has posts already: the shipped content is not imported again.")
            return
        content = Path(settings.BASE_DIR) / "content"
        call_command("import_libraries", str(content / "libraries.yaml"), stdout=self.stdout, stderr=self.stderr)
        articles = sorted(str(path) for path in content.glob("*.md"))
        call_command("import_article", *articles, stdout=self.stdout, stderr=self.stderr)

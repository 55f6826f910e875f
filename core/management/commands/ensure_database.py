"""python manage.py ensure_database: create the PostgreSQL database DATABASE_URL names, if it is missing."""

import psycopg2
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from psycopg2 import sql


class Command(BaseCommand):
    help = "Create the PostgreSQL database the settings name when it does not exist yet (SQLite needs nothing)."

    def handle(self, *args, **options):
        if connection.vendor != "postgresql":
            return
        settings = connection.settings_dict
        server = {
            "dbname": "postgres",
            "user": settings["USER"],
            "password": settings["PASSWORD"],
            "host": settings["HOST"],
            "port": settings["PORT"],
        }
        try:
            admin = psycopg2.connect(**{key: value for key, value in server.items() if value}, connect_timeout=5)
        except psycopg2.Error as error:
            raise CommandError(f"Cannot reach PostgreSQL at {settings['HOST']}:{settings['PORT']}: {error}") from error
        admin.autocommit = True
        try:
            with admin.cursor() as cursor:
                cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [settings["NAME"]])
                if cursor.fetchone():
                    return
                cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(settings["NAME"])))
        except psycopg2.Error as error:
            raise CommandError(f"Cannot create the database {settings['NAME']}: {error}") from error
        finally:
            admin.close()
        self.stdout.write(f"created the database {settings['NAME']}")

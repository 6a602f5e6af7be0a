"""Drivers and teams created by an import before the fix of NameBook.create_planned (bulk
writes skip save(), so their search_name stayed empty and /search/ and the API's ?q= never found
them): fill it as save() would."""

from django.db import migrations

from series.models.people import search_text


def fill(apps, schema_editor):
    Driver = apps.get_model("series", "Driver")
    Team = apps.get_model("series", "Team")
    drivers = list(Driver.objects.filter(search_name=""))
    for driver in drivers:
        driver.search_name = search_text(driver.name, driver.name_original, driver.sort_name)
    Driver.objects.bulk_update(drivers, ["search_name"], batch_size=500)
    teams = list(Team.objects.filter(search_name="").prefetch_related("aliases"))
    for team in teams:
        aliases = [alias.name for alias in team.aliases.all()]
        team.search_name = search_text(team.name, *aliases)[:1000]
    Team.objects.bulk_update(teams, ["search_name"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [("series", "0015_driver_directory_order")]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]

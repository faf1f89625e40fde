"""Load the reference lists from the data files in desist/reference/data/."""

from django.db import migrations

from desist.reference.load import load_reference_data


class Migration(migrations.Migration):
    dependencies = [("reference", "0001_initial")]

    operations = [migrations.RunPython(load_reference_data, migrations.RunPython.noop)]

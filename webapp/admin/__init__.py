"""The admin area (/admin), for users with the admin flag: three parts, each a package with
its own blueprint nested under `admin` (views.py), which guards them all at once."""

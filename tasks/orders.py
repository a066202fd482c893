"""Tasks for this feature (see the feature package in webapp/)."""

"""The email face: ``leadbook smtp`` turns mail to intake addresses into leads."""

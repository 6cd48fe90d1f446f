"""Run-time configuration operators change on /settings, read by services and workflows alike."""

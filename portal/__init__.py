"""Running the portal: the administrator's command line (`portal …`), backups, installation checks, metrics and
logs. Named `portal` for the command; the application's own packages are pages/, services/, auth/ and models/."""

"""Email: templates in the recipient's language, the outbox every email is written to, and SMTP delivery.

`services.notifications` is the API the rest of the portal calls; this package is how it is done.
"""

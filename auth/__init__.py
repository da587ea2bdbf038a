"""Sign-in and sessions: who the user is, and which paths need what."""

"""Sign-in and sessions: who the user is, and which paths need what."""
import warnings

# pysaml2 7.5.5 touches a cryptography mode deprecated upstream when it is imported; the warning would be the first
# line an operator sees on every start (and would hide a configuration error's one line).
warnings.filterwarnings('ignore', message='CFB has been moved')

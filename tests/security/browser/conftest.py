"""Browser attacks in Debian's Chromium against a real server: the fixtures of tests/browser (one server with demo data
per module, a fresh browser context per test, a screenshot in test-artifacts/ when a test fails)."""
from tests.browser.conftest import browser, page, portal, pytest_runtest_makereport, sign_in_with_password

__all__ = ['browser', 'page', 'portal', 'pytest_runtest_makereport', 'sign_in_with_password']

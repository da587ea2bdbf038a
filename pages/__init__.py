"""One module per page. Each module's `register()` adds its routes; `main.py` calls `register_all()`.

Routes are registered by a function rather than at import so that NiceGUI's test `User` fixture, which runs
`main.py` afresh for each test, gets every route each time.
"""
from types import ModuleType

from . import (
    accessibility,
    admin_content,
    admin_home,
    admin_organisations,
    admin_people,
    attachments,
    bench_routes,
    contact,
    front_page,
    handler_dashboard,
    handler_queue,
    handler_request,
    health,
    integration_api,
    landing,
    my_data,
    my_details,
    my_emails,
    my_transactions,
    outbox_admin,
    registration,
    request_detail,
    saml,
    service_catalogue,
    service_form,
    sign_in,
    staff_feedback,
    staff_sign_in,
    test_idp,
    unavailable,
)

# A tuple of any length: the groups below add to it.
PAGE_MODULES: tuple[ModuleType, ...] = (
    accessibility, attachments, contact, front_page, health, integration_api, landing, my_details, my_transactions,
    request_detail, service_catalogue, service_form, sign_in)

# The centre's handler workbench (/kasittely).
PAGE_MODULES += (handler_queue, handler_request, handler_dashboard, admin_home, admin_content, admin_organisations,
                 admin_people)
PAGE_MODULES += (my_emails, outbox_admin)  # email: the outbox view and the development mailbox

PAGE_MODULES += (registration, saml, test_idp)  # sign-in area: first-login registration, SAML SP, local test IdP
PAGE_MODULES += (unavailable,)  # the 'temporarily unavailable' answers while the database is out of reach
PAGE_MODULES += (bench_routes,)  # only with BENCH_ROUTES=1: the benchmarks' bare page and loop-lag probe
PAGE_MODULES += (my_data, staff_feedback)  # reach everyone: own-data download, feedback for staff
PAGE_MODULES += (staff_sign_in,)  # the centre's own sign-in at /kasittely/kirjaudu


def register_all() -> None:
    for module in PAGE_MODULES:
        module.register()

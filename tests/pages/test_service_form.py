"""The service form pages with NiceGUI's User fixture: who may open what, and the wizard moving between steps."""
from nicegui import ui
from nicegui.testing import User

from tests.pages.conftest import sign_in_with_password

DEMO_PASSWORD = 'Demo-salasana-2026'


async def test_unknown_service_and_someone_elses_draft_are_not_found(user: User) -> None:
    await sign_in_with_password(user, 'riikka.edustaja', DEMO_PASSWORD)
    await user.open('/palvelut/ei-tallaista')
    await user.should_see('Palvelua ei löytynyt tai se ei ole tarjolla valitsemallesi asiointiprofiilille.')
    await user.open('/palvelupyynto/5474/muokkaa')  # Onni's draft in the demo data
    await user.should_see('Luonnosta ei löytynyt. Se on voitu jo lähettää tai poistaa.')
    await user.should_not_see('Onni Juhani')
    await user.open('/palvelupyynto/978373/lahetetty')  # Onni's sent request
    await user.should_see('Palvelupyyntöä ei löytynyt.')


async def test_own_draft_opens_at_its_saved_step(user: User) -> None:
    await sign_in_with_password(user, 'onni.korhonen', DEMO_PASSWORD)
    await user.open('/palvelupyynto/5474/muokkaa')  # left at step 2 (Palautuksen saaja)
    stepper = user.find(kind=ui.stepper, marker='form-stepper').elements.pop()
    assert stepper.value == 'step-1'
    user.find(marker='previous').click()
    assert stepper.value == 'step-0'
    await user.should_see('Yhteydenotto')

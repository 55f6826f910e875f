"""One library per repository: an address finds the catalogue's library however GitHub now names the repository
(by its address, the name it moved from, GitHub's id, or a namesake whose repository turns out to be the same);
a new one is named as GitHub names it; GitHub's refusals say what to do."""

import pytest

from libraries.catalogue import RepositoryRefused, library_for_repository
from libraries.models import Library
from tests.factories import LibraryFactory
from tests.libraries.github_standin import error

pytestmark = pytest.mark.django_db


def test_a_known_address_or_former_name_is_found_without_asking_github(github, github_client):
    gym = LibraryFactory(name="Gym", github_owner="openai", github_repo="gym")
    mxnet = LibraryFactory(
        name="Apache MXNet", github_owner="apache", github_repo="mxnet", moved_from="apache/incubator-mxnet"
    )
    assert library_for_repository(owner="OpenAI", repo="Gym", client=github_client) == (gym, False)
    assert library_for_repository(owner="apache", repo="incubator-mxnet", client=github_client) == (mxnet, False)
    assert github.count() == 0


def test_an_address_github_redirects_finds_the_library_by_its_id(github, github_client):
    lightgbm = LibraryFactory(name="LightGBM", github_owner="lightgbm-org", github_repo="LightGBM", github_id=64991887)
    github.add("microsoft/LightGBM", id=64991887)
    github.rename("microsoft/LightGBM", "lightgbm-org/LightGBM")
    assert library_for_repository(owner="microsoft", repo="LightGBM", client=github_client) == (lightgbm, False)
    assert Library.objects.count() == 1


def test_the_new_name_of_a_repository_the_catalogue_knows_by_its_old_one_finds_it(github, github_client):
    """The catalogue's MXNet was never refreshed, so it has no GitHub id: asked about, its old address leads to the
    same repository as the pasted one."""
    mxnet = LibraryFactory(name="Apache MXNet", aliases=["mxnet"], github_owner="apache", github_repo="incubator-mxnet")
    github.add("apache/incubator-mxnet", id=34864402)
    github.rename("apache/incubator-mxnet", "apache/mxnet")
    assert library_for_repository(owner="apache", repo="mxnet", client=github_client) == (mxnet, False)
    mxnet.refresh_from_db()
    assert mxnet.github_id == 34864402 and Library.objects.count() == 1


def test_a_namesake_with_another_repository_stays_apart(github, github_client):
    LibraryFactory(name="baselines", github_owner="openai", github_repo="baselines")
    github.add("openai/baselines")
    github.add("someone/baselines")
    library, created = library_for_repository(owner="someone", repo="baselines", client=github_client)
    assert created and library.name == "baselines (someone)" and library.full_name == "someone/baselines"


def test_a_new_library_is_named_as_github_names_the_repository(github, github_client):
    github.add("DLR-RM/stable-baselines3", id=220311484)
    deap = LibraryFactory(name="DEAP", github_owner="", github_repo="")
    github.add("DEAP/deap")
    library, created = library_for_repository(owner="dlr-rm", repo="Stable-Baselines3", client=github_client)
    assert created and (library.name, library.full_name, library.github_id) == (
        "stable-baselines3",
        "DLR-RM/stable-baselines3",
        220311484,
    )
    assert library_for_repository(owner="DEAP", repo="deap", client=github_client) == (deap, False)


@pytest.mark.parametrize(
    ("answer", "words"),
    [
        (error(404, "Not Found"), "GitHub does not know gone/away: check the address."),
        (error(451, "Unavailable"), "GitHub blocks gone/away for legal reasons"),
        (error(503), "GitHub did not answer about gone/away"),
    ],
)
def test_what_github_refuses_is_refused_in_plain_words_and_nothing_is_made(github, github_client, answer, words):
    github.script("/repos/gone/away", answer, answer, answer)
    with pytest.raises(RepositoryRefused, match=words):
        library_for_repository(owner="gone", repo="away", client=github_client)
    assert not Library.objects.exists()

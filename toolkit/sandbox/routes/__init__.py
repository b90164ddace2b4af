"""The sandbox's route modules: one per API area, named after the API's paths.

Find an endpoint's behaviour from its path (after ``/public/v1/``):

=====================================  ===============================
path                                   module
=====================================  ===============================
``discovery/``, ``discovery/creators/similar/``  ``discovery``
``discovery/classifier/...``           ``classifier``
``discovery/exclusion-lists/...``      ``exclusion_lists``
``creators/enrich/...``                ``enrich``
``creators/socials/``                  ``socials``
``creators/audience/overlap/``         ``audience``
``creators/content/...``               ``content``
``enrichment/batch/...``               ``batch`` (and the ``/sandbox/files/`` download)
``accounts/...``                       ``accounts``
``oauth/...``                          ``oauth``
``social/listening/subscription/...``  ``listening_subscriptions``
``social/listening/campaign/...``      ``listening_campaigns``
``social/listening/events/``, ``usage/``  ``listening_events``
=====================================  ===============================

Registration is explicit: :data:`MODULES` imports every module by name, so a module that
fails to import fails ``import toolkit.sandbox`` itself, loudly, instead of leaving its
routes answering 404. A module exposes ``router`` (a :class:`~.._http.Router`) and, when it
keeps time-driven state, ``install(sandbox)``.
"""

from __future__ import annotations

from types import ModuleType
from typing import TYPE_CHECKING

import toolkit._operations as _operations

from . import (
    _listening_state,
    accounts,
    audience,
    batch,
    classifier,
    content,
    discovery,
    enrich,
    exclusion_lists,
    listening_campaigns,
    listening_events,
    listening_subscriptions,
    oauth,
    socials,
)

if TYPE_CHECKING:  # pragma: no cover
    from .._app import Sandbox

__all__ = ["INSTALLERS", "MODULES", "install"]

#: every module whose routes the sandbox serves
MODULES: tuple[ModuleType, ...] = (
    discovery,
    classifier,
    exclusion_lists,
    enrich,
    socials,
    audience,
    content,
    batch,
    accounts,
    oauth,
    listening_subscriptions,
    listening_campaigns,
    listening_events,
)
_operations.cover_every_operation(
    (route.name for module in MODULES for route in module.router.routes),
    what="toolkit.sandbox.routes",
    own=("sandbox_file",),  # the sandbox's own download link for batch results
)
#: state holders hooked into a new sandbox (OAuth tokens, batch jobs, listening accruals)
INSTALLERS = (oauth.install, batch.install, _listening_state.install)


def install(sandbox: Sandbox) -> None:
    """Give ``sandbox`` every route and the state the routes keep."""
    for module in MODULES:
        sandbox.router.routes.extend(module.router.routes)
    for installer in INSTALLERS:
        installer(sandbox)

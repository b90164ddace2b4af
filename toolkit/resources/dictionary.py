"""Dictionaries (classifiers): the valid values of dictionary-backed discovery filters.

All ``GET``, all free. Values change over time: fetch them, do not hard-code them. Only
some endpoints honour ``search``/``offset``; they are sent only when given.
"""

from __future__ import annotations

from collections.abc import Awaitable

from toolkit._checks import DISCOVERY_PLATFORMS, check_int, check_platform
from toolkit._config import NOT_GIVEN, NotGiven
from toolkit._results import Result
from toolkit.resources._base import R, Resource

__all__ = ["AsyncDictionary", "Dictionary"]


class _DictionaryBase(Resource[R]):
    def languages(self) -> R:
        """GET /public/v1/discovery/classifier/languages/ — values for ``profile_language``."""
        return self._op("dictionary_languages")

    def locations(
        self,
        platform: str,
        *,
        search: str | NotGiven = NOT_GIVEN,
        offset: int | NotGiven = NOT_GIVEN,
        limit: int | NotGiven = NOT_GIVEN,
    ) -> R:
        """GET /public/v1/discovery/classifier/locations/{platform}/ — values for ``location``."""
        op = "dictionary_locations"
        platform = check_platform(platform, DISCOVERY_PLATFORMS, operation=op)
        if not isinstance(limit, NotGiven):
            limit = check_int(limit, "limit", lo=1, operation=op)
        if not isinstance(offset, NotGiven):
            offset = check_int(offset, "offset", lo=0, operation=op)
        return self._op(
            "dictionary_locations",
            path_params={"platform": platform},
            query={"search": search, "offset": offset, "limit": limit},
        )

    def brands(
        self,
        *,
        search: str | NotGiven = NOT_GIVEN,
        offset: int | NotGiven = NOT_GIVEN,
    ) -> R:
        """GET /public/v1/discovery/classifier/brands/ — send the ``cleaned`` value in ``brands``."""
        if not isinstance(offset, NotGiven):
            offset = check_int(offset, "offset", lo=0, operation="dictionary_brands")
        return self._op("dictionary_brands", query={"search": search, "offset": offset})

    def yt_topics(self) -> R:
        """GET /public/v1/discovery/classifier/yt-topics/ — values for YouTube ``topics``."""
        return self._op("dictionary_yt_topics")

    def games(self) -> R:
        """GET /public/v1/discovery/classifier/games/ — values for Twitch ``games_played``."""
        return self._op("dictionary_games")

    def _searchable(self, operation: str, search: object, offset: object) -> R:
        if not isinstance(offset, NotGiven):
            offset = check_int(offset, "offset", lo=0, operation=operation)
        return self._op(operation, query={"search": search, "offset": offset})

    def audience_brand_categories(
        self,
        *,
        search: str | NotGiven = NOT_GIVEN,
        offset: int | NotGiven = NOT_GIVEN,
    ) -> R:
        """GET /public/v1/discovery/classifier/audience-brand-categories/ — ``audience.brand_categories``."""
        return self._searchable("dictionary_audience_brand_categories", search, offset)

    def audience_brand_names(
        self,
        *,
        search: str | NotGiven = NOT_GIVEN,
        offset: int | NotGiven = NOT_GIVEN,
    ) -> R:
        """GET /public/v1/discovery/classifier/audience-brand-names/ — ``audience.brands``."""
        return self._searchable("dictionary_audience_brand_names", search, offset)

    def audience_interests(
        self,
        *,
        search: str | NotGiven = NOT_GIVEN,
        offset: int | NotGiven = NOT_GIVEN,
    ) -> R:
        """GET /public/v1/discovery/classifier/audience-interests/ — ``audience.interests``."""
        return self._searchable("dictionary_audience_interests", search, offset)

    def audience_locations(
        self,
        *,
        search: str | NotGiven = NOT_GIVEN,
        offset: int | NotGiven = NOT_GIVEN,
    ) -> R:
        """GET /public/v1/discovery/classifier/audience-locations/ — ``audience.location``."""
        return self._searchable("dictionary_audience_locations", search, offset)


class Dictionary(_DictionaryBase[Result]):
    """Dictionaries for the sync client."""


class AsyncDictionary(_DictionaryBase[Awaitable[Result]]):
    """Dictionaries for the async client (methods are awaitable)."""

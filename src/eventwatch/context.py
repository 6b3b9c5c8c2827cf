"""The context every stage is given: resources built once at the edge (CLI, API, an engine's worker).

Stages take what they need from it instead of loading resources themselves, so that a test or a worker
can build a small context of its own and nothing hides in module state.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from typing import TYPE_CHECKING

from eventwatch.profiles import Profiles, load_profiles

if TYPE_CHECKING:
    from eventwatch.extract.actors import ActorIndex
    from eventwatch.gazetteer import Gazetteer
    from eventwatch.typemodel import TypeModel


@dataclass
class Context:
    """Country profiles, the actor dictionary built from them, and (opened on first use) the gazetteer."""

    profiles: Profiles
    actors: ActorIndex
    gazetteer_factory: object = None  # a callable returning the Gazetteer; None: the default index
    _gazetteer: Gazetteer | None = field(default=None, repr=False)
    _voices: dict[str, str | None] | None = field(default=None, repr=False)
    # Who decides an event's sub-event type: "rules", "model" (the shipped type model, eventwatch.typemodel)
    # or "both" (the rules unless the model is sure of another type)
    type_model: str = "rules"
    _type_classifier: TypeModel | None = field(default=None, repr=False)

    @property
    def type_classifier(self) -> TypeModel:
        """The shipped type model, read from the package on first use (a JSON file, no download)."""
        if self._type_classifier is None:
            from eventwatch.typemodel import load_type_model

            self._type_classifier = load_type_model()
        return self._type_classifier
    # answers of pure functions of a word and this context (resolve.events.names_no_place), kept across
    # articles: the same capitalised words come back in every article
    word_memo: dict[str, bool] = field(default_factory=dict, repr=False)

    @property
    def claimant_voices(self) -> dict[str, str | None]:
        """Which actor each claimant speaks for (Amaq -> Islamic State (Syria)); None for independent sources.
        Read off the actor index once."""
        if self._voices is None:
            self._voices = {e.canonical: e.speaks_for for e, _, _ in self.actors.automaton.values()
                            if e.kind == "claimant"}
        return self._voices

    @property
    def gazetteer(self) -> Gazetteer:
        if self._gazetteer is None:
            if self.gazetteer_factory is not None:
                self._gazetteer = self.gazetteer_factory()
            else:
                from eventwatch.gazetteer import default_gazetteer

                self._gazetteer = default_gazetteer()
        return self._gazetteer


def build_context(profiles_folder=None, gazetteer_factory=None, type_model: str | None = None) -> Context:
    """A context from the shipped data (or the profiles of `profiles_folder`); `type_model` is one of
    eventwatch.typemodel.MODES (None: DEFAULT_TYPE_MODEL). Raises ValueError for another value."""
    from eventwatch.extract.actors import build_actor_index
    from eventwatch.typemodel import MODES

    mode = type_model or DEFAULT_TYPE_MODEL
    if mode not in MODES:
        raise ValueError(f"type model setting {mode!r}: expected one of {', '.join(MODES)}")
    profiles = load_profiles(profiles_folder)
    return Context(profiles=profiles, actors=build_actor_index(profiles), gazetteer_factory=gazetteer_factory,
                   type_model=mode)


DEFAULT_TYPE_MODEL = "rules"  # the setting that generalised best on the held-out halves (README, "The type model")
TYPE_MODEL_VARIABLE = "EVENTWATCH_TYPE_MODEL"  # the edge's override, so that worker processes share it


@cache
def default_context() -> Context:
    """The context of the shipped data, built once per process for callers at the edge (the type model
    setting from $EVENTWATCH_TYPE_MODEL when set)."""
    import os

    return build_context(type_model=os.environ.get(TYPE_MODEL_VARIABLE) or None)

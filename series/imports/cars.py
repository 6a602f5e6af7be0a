"""Which car a result row means: found by its number on the season's entry list for the round, or
by the driver's name, full or abbreviated as timing sheets print it ("L. ten Voorde")."""

from __future__ import annotations

from collections import defaultdict

from ..models import (
    Driver,
    Entry,
    Season,
)
from .names import NameBook, NewName, fold


def _abbreviation_matches(given: str, full: str) -> bool:
    """'L. ten Voorde', 'L ten Voorde' or 'ten Voorde L.' for Larry ten Voorde; 'TEN VOORDE' too."""
    given_words, full_words = fold(given).split(), fold(full).split()
    if not given_words or not full_words:
        return False
    if given_words == full_words:
        return True
    initials = [w for w in given_words if len(w) == 1]
    rest = [w for w in given_words if len(w) > 1]
    if not rest or len(initials) > 1:
        return rest == full_words[-len(rest) :] if rest and not initials else False
    if full_words[-len(rest) :] != rest:
        return False
    if not initials:
        return len(rest) < len(full_words)  # a family name alone
    return full_words[0].startswith(initials[0])


class EntryList:
    """The season's entries by car number, each valid for its rounds (from_round..to_round)."""

    def __init__(self, season: Season):
        self.entries = list(season.entries.select_related("driver", "team", "season_class"))
        self.by_number: dict[int, list[Entry]] = defaultdict(list)
        for entry in self.entries:
            if entry.car_number is not None:
                self.by_number[entry.car_number].append(entry)

    def car(self, number: int, round_number: int) -> list[Entry]:
        return [e for e in self.by_number.get(number, []) if e.runs_in_round(round_number)]

    def of_driver(self, driver: Driver) -> Entry | None:
        return next((e for e in self.entries if e.driver_id == driver.pk), None)

    def by_abbreviation(self, name: str) -> list[Entry]:
        return [e for e in self.entries if _abbreviation_matches(name, e.driver.name)]


def which_car(
    driver_name: str,
    number: int | None,
    round_number: int | None,
    entry_list: EntryList,
    drivers: NameBook[Driver],
    nationality: str,
    row_errors: list[str],
) -> tuple[Driver | NewName[Driver] | None, Entry | None]:
    """The driver of a row and, when the car is found by its number on the entry list, its entry.
    The number wins when the entry list has it for the round: a timing sheet's driver column is
    often abbreviated ("L. ten Voorde") or missing; a name that contradicts the entry list is an
    error. Without a number on the entry list the name must identify the driver."""
    if number is not None and round_number is not None:
        cars = entry_list.car(number, round_number)
        if len(cars) > 1:
            names = " and ".join(entry.driver.name for entry in cars)
            row_errors.append(
                f"number: car {number} in round {round_number} is both {names} on the entry list "
                "(give one of them a from_round/to_round)"
            )
            return None, None
        if cars:
            entry = cars[0]
            if driver_name and not (
                drivers.find(driver_name) == entry.driver
                or _abbreviation_matches(driver_name, entry.driver.name)
            ):
                row_errors.append(
                    f"car {number} in round {round_number} is {entry.driver.name} on the entry "
                    f"list, not {driver_name!r}"
                )
                return None, None
            return entry.driver, entry
    if driver_name:
        found = drivers.find(driver_name)
        abbreviated = entry_list.by_abbreviation(driver_name) if found is None else []
        if found is None and len(abbreviated) == 1:
            found = abbreviated[0].driver
        if found is not None:
            seat = entry_list.of_driver(found)
            # The driver is on the entry list with another car: a typo in the number, or a
            # change the entry list should say (from_round) before results use it.
            if (
                number is not None
                and round_number is not None
                and seat is not None
                and seat.car_number is not None
                and seat.runs_in_round(round_number)
            ):
                row_errors.append(
                    _not_on_entry_list(number, round_number, entry_list)
                    + f" ({found.name} is car {seat.car_number})"
                )
                return None, None
            return found, None
        if number is not None and round_number is not None and _looks_abbreviated(driver_name):
            row_errors.append(_not_on_entry_list(number, round_number, entry_list))
            return None, None
        return drivers.resolve(driver_name, row_errors, nationality=nationality), None
    if number is None:
        row_errors.append("driver: missing (give the driver or the car number)")
    elif round_number is not None:
        row_errors.append(_not_on_entry_list(number, round_number, entry_list))
    return None, None


def _looks_abbreviated(name: str) -> bool:
    """ "L. ten Voorde": a given name cut to its initial. A middle initial ("Mikkel O. Pedersen")
    is a full name."""
    words = fold(name).replace(".", " ").split()
    return bool(words) and len(words[0]) == 1


def _not_on_entry_list(number: int, round_number: int, entry_list: EntryList) -> str:
    numbers = sorted(n for n in entry_list.by_number if entry_list.car(n, round_number))
    if not numbers:
        return (
            f"number: car {number} is not on the entry list (the season has no entry list yet: "
            "import it first, or give each driver's full name)"
        )
    return f"number: car {number} is not on the entry list of round {round_number}"

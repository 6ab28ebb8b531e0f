"""Venues → rooms → stations: unique names and numbers, stations in bulk, out of service
with a reason; only staff holding scheduling.manage everywhere change them."""
from __future__ import annotations

import pytest

from app.core.errors import Conflict, InvalidInput, PermissionDenied
from app.scheduling.services import places
from app.scheduling.services.places import RoomFields, StationFields, VenueFields
from tests.factories import CommitteeFactory, staff
from tests.scheduling.support import room


def test_a_venue_name_is_unique(db):
    places.create_venue(VenueFields("国家技能实训基地"), actor=staff())
    with pytest.raises(Conflict) as refused:
        places.create_venue(VenueFields(" 国家技能实训基地 "), actor=staff())
    assert refused.value.field == "name"


def test_a_room_name_is_unique_within_its_venue_only(db):
    actor = staff()
    north = places.create_venue(VenueFields("北校区"), actor=actor)
    south = places.create_venue(VenueFields("南校区"), actor=actor)
    places.create_room(north, RoomFields("101"), actor=actor)
    places.create_room(south, RoomFields("101"), actor=actor)
    with pytest.raises(Conflict):
        places.create_room(north, RoomFields("101"), actor=actor)


def test_a_committees_staff_may_not_change_venues(db):
    with pytest.raises(PermissionDenied):
        places.create_venue(VenueFields("场馆"), actor=staff(CommitteeFactory()))


def test_stations_added_in_bulk_skip_the_numbers_the_room_has(db):
    hall = room(stations=3)
    added = places.add_stations(hall, 2, 6, "数控车床", actor=staff())
    assert [s.number for s in added] == [4, 5, 6]
    assert [s.number for s in hall.stations] == [1, 2, 3, 4, 5, 6]


@pytest.mark.parametrize("first, last, field", [(0, 5, "first"), (5, 4, "last"), (1, 501, "last"),
                                                (1, 10000, "last")])
def test_a_bad_bulk_range_is_refused(db, first, last, field):
    with pytest.raises(InvalidInput) as refused:
        places.add_stations(room(), first, last, None, actor=staff())
    assert refused.value.field == field


def test_a_station_number_is_unique_in_its_room(db):
    hall = room(stations=2)
    with pytest.raises(Conflict):
        places.update_station(hall.stations[1], StationFields(1), actor=staff())


def test_out_of_service_needs_a_reason_and_back_in_service_clears_it(db):
    station = room(stations=1).stations[0]
    with pytest.raises(InvalidInput) as refused:
        places.set_out_of_service(station, True, "  ", actor=staff())
    assert refused.value.field == "reason"
    places.set_out_of_service(station, True, "台钳损坏", actor=staff())
    assert station.is_out_of_service and station.out_of_service_reason == "台钳损坏"
    places.set_out_of_service(station, False, None, actor=staff())
    assert not station.is_out_of_service and station.out_of_service_reason is None

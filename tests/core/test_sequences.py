import pytest
from django.db import transaction

from core.models import Counter
from core.sequences import next_number, next_numbers

pytestmark = pytest.mark.django_db


def test_a_block_is_reserved_in_one_update_whatever_its_size(django_assert_num_queries):
    with transaction.atomic():
        assert next_number("KRB-2031") == 1
        # create-if-missing, one UPDATE of the counter, one read of where it ended
        with django_assert_num_queries(3):
            block = next_numbers("KRB-2031", 500)
        assert block == range(2, 502)
        assert next_number("KRB-2031") == 502
    assert Counter.objects.get(key="KRB-2031").last == 502


def test_a_rolled_back_block_leaves_no_gap():
    with transaction.atomic():
        next_numbers("TPPO-6371-2031", 10)
        transaction.set_rollback(True)
    with transaction.atomic():
        assert next_numbers("TPPO-6371-2031", 2) == range(1, 3)


@pytest.mark.django_db(transaction=True)  # outside any transaction, as a caller might be
def test_numbers_are_reserved_only_inside_a_transaction_and_at_least_one():
    with pytest.raises(RuntimeError):
        next_numbers("KRB-2031", 2)
    with transaction.atomic(), pytest.raises(ValueError, match="at least 1"):
        next_numbers("KRB-2031", 0)

def test_the_figure_of_a_status_pair_is_the_one_its_conditions_count_it_under(db):
    from conftest import make_enterprise
    from enterprises.models import FIGURES, Enterprise, PartyOrg, UnionStatus, figure_of

    for party_org in PartyOrg.values:
        for union_status in UnionStatus.values:
            enterprise = make_enterprise("540102", party_org=party_org, union_status=union_status)
            matching = [
                name
                for name, condition in FIGURES.items()
                if Enterprise.objects.filter(condition, pk=enterprise.pk).exists()
            ]
            assert matching == [figure_of(party_org, union_status)]

"""The pure parts of the deadline-day benchmark (bench/load.py): what users click, and the figures printed."""

import importlib.util
import random
from pathlib import Path

import pytest

BENCH_LOAD = Path(__file__).resolve().parents[2] / "bench" / "load.py"


@pytest.fixture(scope="module")
def load():
    spec = importlib.util.spec_from_file_location("bench_load", BENCH_LOAD)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("role", ["reviewer", "staff", "viewer", "admin"])
def test_a_click_plan_is_bounded_and_stays_in_the_role_menu(load, role):
    plan = load.click_plan(role, random.Random(1), 500)
    assert len(plan) == 500
    assert set(plan) <= set(load.MENUS[role]) | set(load.DOWNLOADS)
    assert load.click_plan(role, random.Random(1), 0) == []
    assert load.click_plan(role, random.Random(1), -3) == []


def test_only_staff_edit(load):
    plans = {role: set(load.click_plan(role, random.Random(2), 2000)) for role in load.MENUS}
    assert "enterprise_edit" in plans["staff"]
    assert not any("enterprise_edit" in plans[role] for role in ("reviewer", "viewer", "admin"))


def test_about_one_click_in_twenty_is_a_download(load):
    plan = load.click_plan("staff", random.Random(3), 10_000)
    downloads = sum(kind in load.DOWNLOADS for kind in plan)
    assert 350 < downloads < 650
    assert {kind for kind in plan if kind in load.DOWNLOADS} == set(load.DOWNLOADS)


def test_percentiles_by_nearest_rank(load):
    values = [i / 1000 for i in range(1, 101)]  # 1 ms to 100 ms
    assert load.percentile(values, 0.5) == pytest.approx(0.051)
    assert load.percentile(values, 0.95) == pytest.approx(0.095)
    assert load.percentile(values, 0.99) == pytest.approx(0.099)
    assert load.percentile([], 0.95) == 0.0
    assert load.percentile([0.2], 0.99) == 0.2


def test_figures_count_errors_and_report_milliseconds(load):
    samples = [(0.010, True), (0.020, True), (0.030, False), (0.040, True)]
    assert load.figures(samples) == {"count": 4, "p50_ms": 30.0, "p95_ms": 40.0, "p99_ms": 40.0, "errors": 1}


def test_kinds_are_grouped_in_a_fixed_order(load):
    times = [("dashboard", 0.1, True), ("login", 0.3, True), ("home", 0.02, False), ("dashboard", 0.2, True)]
    grouped = load.by_kind(times)
    assert list(grouped) == ["login", "home", "dashboard"]
    assert grouped["dashboard"] == [(0.1, True), (0.2, True)]


def test_server_configurations_are_parsed_and_bounded(load):
    assert load.parse_configs("3x1, 2x4,3X2") == [(3, 1), (2, 4), (3, 2)]
    assert load.parse_configs("") == [None]
    assert load.parse_configs("500x0") == [(64, 1)]


def test_the_edit_form_is_sent_back_as_a_browser_sends_it(load):
    page = """
    <form method="get"><input name="q" value="search"></form>
    <form method="post" action="">
      <input type="hidden" name="csrfmiddlewaretoken" value="tok">
      <input type="hidden" name="version" value="7">
      <input type="text" name="name" value="拉萨某公司">
      <input type="number" name="headcount" value="120">
      <input type="checkbox" name="is_non_public" checked>
      <input type="checkbox" name="beyond_local_reach">
      <select name="county"><option value="">-</option><option value="540102" selected>城关区</option></select>
      <textarea name="note">一行
二行</textarea>
      <button type="submit" name="save">保存</button>
    </form>"""
    assert load.edit_fields(page) == {
        "csrfmiddlewaretoken": ["tok"],
        "version": ["7"],
        "name": ["拉萨某公司"],
        "headcount": ["120"],
        "is_non_public": ["on"],
        "county": ["540102"],
        "note": ["一行\n二行"],
    }
    assert load.edit_fields("<form method='post'><input name='x' value='1'></form>") is None

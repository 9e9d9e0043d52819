"""Layouts of the title and basic-information block that lost or corrupted a `project`
value: each case failed before its fix (audit of the project table)."""

from __future__ import annotations

from tests.transforms.variants import mutate, parse_sheet, sheet_text


def project(text: str) -> dict:
    return parse_sheet(text).project


def test_checkbox_marks_printed_in_cells_of_their_own():
    """Each box in its own cell, its choice in the next (`□ ⇥ 一般会計 ⇥ ■ ⇥ 特別会計`): before,
    the unticked 一般会計 was stored as an account and the methods came out as `□ ■ □\\n直接実施…`."""
    text = mutate(sheet_text("2020"), "<b>会計区分</b>\t一般会計", "<b>会計区分</b>\t□\t一般会計\t■\t特別会計")
    text = mutate(text, "<b>実施方法</b>\t委託・請負", "<b>実施方法</b>\t□\t直接実施\t■\t委託・請負\t□\t補助")
    variant = project(text)
    assert variant["account_type"] == "特別会計"
    assert variant["implementation_method"] == "□直接実施 ■委託・請負 □補助"


def test_a_two_line_label_and_its_two_line_value_split_over_two_rows():
    """An export that splits multi-line cells over rows puts the label's note
    (`(具体的な条項も記載)`) and the value's second line on the row below: before, the
    value's second line was lost because the note is no value."""
    text = mutate(sheet_text("2020"), "<b>根拠法令(具体的な条項も記載)</b>\t国土交通省設置法第4条\t\t\t<b>関係する計画、通知等</b>\t-\t\t\t\t\n",
                  "<b>根拠法令</b>\t国土交通省設置法第4条\t\t\t<b>関係する計画、通知等</b>\t-\t\t\t\t\n"
                  "<b>(具体的な条項も記載)</b>\t住宅宿泊事業法第1条\t\t\t\t\t\t\t\t\n")
    text = mutate(text, "<b>事業の目的(目指す姿を簡潔に。3行程度以内)</b>\t平成30年6月15日に施行された住宅宿泊事業法の適正な運営を確保",
                  "<b>事業の目的</b>\t平成30年6月15日に施行された\t\t\t\t\t\t\t\t\n<b>(目指す姿を簡潔に。3行程度以内)</b>\t住宅宿泊事業法の適正な運営を確保")
    variant = project(text)
    assert variant["legal_basis"] == "国土交通省設置法第4条\n住宅宿泊事業法第1条"
    assert variant["purpose"] == ("平成30年6月15日に施行された\n住宅宿泊事業法の適正な運営を確保することにより、"
                                  "健全な民泊サービスの普及を目指す。")


def test_a_label_split_into_halves_beside_a_two_line_value():
    """`関係する計画・` / `通知等` on two rows, the plan's second line beside the second half."""
    text = mutate(sheet_text("2012-13"), "<b>関係する計画・通知等</b>\t科学技術・イノベーションに関する基本方針(閣議決定)\t\t\t\n",
                  "<b>関係する計画・</b>\t科学技術・イノベーションに関する\t\t\t\n\t\t\t\t<b>通知等</b>\t基本方針(閣議決定)\t\t\t\n")
    assert project(text)["related_plans"] == "科学技術・イノベーションに関する\n基本方針(閣議決定)"


def test_a_check_mark_before_the_ticked_choices_only():
    """A ✓ before each chosen choice and the others printed bare (`✓一般会計 特別会計`): before,
    the unticked 特別会計 was kept in account_type (`一般会計 特別会計`) and the methods had
    no box for the choices not taken."""
    text = mutate(sheet_text("2020"), "<b>会計区分</b>\t一般会計", "<b>会計区分</b>\t✓一般会計 特別会計")
    text = mutate(text, "<b>実施方法</b>\t委託・請負", "<b>実施方法</b>\t直接実施 ✓委託・請負 ✔補助 負担")
    variant = project(text)
    assert variant["account_type"] == "一般会計"
    assert variant["implementation_method"] == "□直接実施 ■委託・請負 ■補助 □負担"


def test_checkbox_methods_with_a_space_after_each_box_or_broken_over_lines():
    """`□ 直接実施 ■ 委託・請負` and a string the cell wraps with <br> read as the usual print."""
    usual = project(sheet_text("2016"))["implementation_method"]
    assert usual == "□直接実施 ■委託・請負 □補助 □負担 □交付 □貸付 □その他"
    for printed in ("□ 直接実施 ■ 委託・請負 □ 補助 □ 負担 □ 交付 □ 貸付 □ その他",
                    "□直接実施　■委託・請負　□補助<br>□負担　□交付　□貸付　□その他"):
        text = mutate(sheet_text("2016"), "<b>実施方法</b>\t" + usual, "<b>実施方法</b>\t" + printed)
        assert project(text)["implementation_method"] == usual


def test_a_combined_start_end_cell_printing_only_the_end():
    """`平成25年度終了予定` alone in 事業開始・終了(予定)年度 is the end year: before, it was read
    as the start (start 2013, end none)."""
    for printed in ("平成25年度終了予定", "平成25年度終了"):
        text = mutate(sheet_text("2012-13"), "\t平成5年度~平成25年度\t", f"\t{printed}\t")
        variant = project(text)
        assert (variant["start_fiscal_year"], variant["end_fiscal_year"], variant["start_end_text"]) == \
            (None, 2013, printed)


def test_a_showa_start_year_printed_without_its_era():
    """`48年度` as start (no era) is 昭和48 = 1973, the only reading by the request year: before,
    it was read as 平成48 = 2036, a start decades after the sheet."""
    two_cells = mutate(sheet_text("2016"), "<b>事業開始年度</b>\t平成27年度", "<b>事業開始年度</b>\t48年度")
    assert project(two_cells)["start_fiscal_year"] == 1973
    combined = mutate(sheet_text("2012-13"), "\t平成5年度~平成25年度\t", "\t48年度~25年度\t")
    assert (project(combined)["start_fiscal_year"], project(combined)["end_fiscal_year"]) == (1973, 2013)

"""Printed variants of the form fixtures that real sheets contain: each mutation of a
fixture sheet must parse to the fixture's own rows (or to the stated values).

Found by probing the parser with variants of SHEET_FORMAT.md's layouts; all but the
era-abbreviation case failed before their fixes (a year shifted, a row dropped, a
section missed, a wrong year).
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from tests.transforms.variants import FORMS, mutate, parse_sheet, sheet_text
from transforms.sources.text_sheet import parse_bytes

# what a variant may change: the printed text, the label as printed, the joined start/end text
PRINTED = {"raw_text", "label_ja", "start_end_text", "source_path", "source_sha256"}


def parse(text: str) -> dict[str, list[dict]]:
    sheet = parse_bytes(text.encode("utf-8"), "variant.txt")
    return {table: sorted((sorted((k, str(v)) for k, v in row.items() if k not in PRINTED) for row in rows))
            for table, rows in sheet.tables.items()}


HEADER_2020 = "平成29年度\t30年度\t令和元年度\t2年度\t3年度要求"
SAME_AS_FIXTURE = [
    # budget header: a request column worded with 予算 or without its year, era abbreviations,
    # an alternative era reading in brackets
    ("2020", HEADER_2020, "平成29年度\t30年度\t令和元年度\t2年度\t3年度予算要求"),
    ("2020", HEADER_2020, "平成29年度\t30年度\t令和元年度\t2年度\t概算要求額"),
    ("2020", HEADER_2020, "平成29年度\t30年度\t令和元年度\t2年度予算\t3年度要求"),
    ("2020", HEADER_2020, "平成29年度\t30年度\t31(元)年度\t2年度\t3年度要求"),
    ("2020", HEADER_2020, "H29年度\tH30年度\tR1年度\tR2年度\tR3年度要求"),
    ("2010", "23年度要求", "23年度予算要求"),
    # the budget title on a row of its own, the years on the next row
    ("2020", "<b>予算額・執行額(単位:百万円)</b>\t\t\t平成29年度", "<b>予算額・執行額(単位:百万円)</b>\n\t\t\t平成29年度"),
    ("2010", "<b>予算の状況(単位:百万円)</b>\t\t19年度", "<b>予算の状況(単位:百万円)</b>\n\t\t19年度"),
    # ... also a bare title without its unit, bold or in the first column
    ("2010", "<b>予算の状況(単位:百万円)</b>\t\t19年度", "<b>予算の状況</b>\n\t\t19年度"),
    ("2010", "<b>予算の状況(単位:百万円)</b>\t\t19年度", "予算の状況\n(単位:百万円)\t\t19年度"),
    # budget titles worded or spaced otherwise, years printed without 年
    ("2020", "予算額・執行額(単位:百万円)", "予算額及び執行額(単位:百万円)"),
    ("2020", "予算額・執行額(単位:百万円)", "予算・執行状況(単位:百万円)"),
    ("2020", "予算額・執行額(単位:百万円)", "(単位:百万円)予算額・執行額"),
    ("2020", "予算額・執行額(単位:百万円)", "予 算 額 ・ 執 行 額(単位:百万円)"),
    ("2020", HEADER_2020, "H29\tH30\tR1\tR2\tR3要求"),
    ("2020", HEADER_2020, "2017\t2018\t2019\t2020\t2021要求"),
    # a note after the last column is no sign of a shifted row
    ("2020", "当初予算\t70\t109\t193\t194\t153\t", "当初予算\t70\t109\t193\t194\t153\t注"),
    # a label split over two rows (a two-line cell), values on either half
    ("2020", "\t当初予算+補正予算に対する執行額の割合(%)\t",
     "\t当初予算+補正予算に対する\n\t執行額の割合(%)\t"),
    ("2020", "\t当初予算+補正予算に対する執行額の割合(%)\t\t77.1%\t100%\t97.4%\t97.4%",
     "\t当初予算+補正予算に対する\t\t77.1%\t100%\t97.4%\t97.4%\n\t執行額の割合(%)"),
    ("2020", "\t\t前年度から繰越し\t0\t0\t0\t12\t0", "\t\t前年度から\n\t\t繰越し\t0\t0\t0\t12\t0"),
    # label wording
    ("2020", "前年度から繰越し", "前年度から繰り越し"),
    ("2020", "翌年度へ繰越し", "翌年度に繰越し"),
    ("2020", "予備費等", "予備費"),
    ("2020", "\t計\t\t70", "\t合計\t\t70"),
    ("2014", "事業開始・終了(予定)年度", "事業開始/終了(予定)年度"),
    ("2014", "<b>費目</b>\t<b>26年度当初予算</b>", "<b>予算科目</b>\t<b>26年度当初予算</b>"),
    # basic-information labels split over two rows (two-line label cells)
    ("2020", "<b>事業開始年度</b>\t平成29年度\t<b>事業終了(予定)年度</b>\t終了予定なし\t<b>担当課室</b>\t観光産業課\t\t課長 多田 浩人",
     "<b>事業開始</b>\t平成29年度\t<b>事業終了</b>\t終了予定なし\t<b>担当課室</b>\t観光産業課\t\t課長 多田 浩人\n"
     "<b>年度</b>\t\t<b>(予定)年度</b>"),
    # 事業名 worded otherwise, or printed with its value in one cell
    ("2020", "<b>事業名</b>", "<b>事業の名称</b>"),
    ("2020", "<b>事業名</b>\t健全な民泊サービスの普及", "<b>事業名：健全な民泊サービスの普及</b>"),
    # the responsible official below its label, one cell to the left
    ("2020", "観光産業課\t\t課長 多田 浩人", "観光産業課\t課長 多田 浩人"),
    # 費目・用途 heading with a note; block titles naming the block's recipient
    ("2020", "**費目・用途**", "**費目・用途(単位:百万円)**"),
    ("2020", "A.\t\t\tB.\t\t", "A.日本環境アメニティ株式会社\t\t\tB.\t株式会社NTTデータ\t"),
    ("2018-19", "\nB.\n", "\nB.株式会社NTTデータ\n"),
    # indicator headers and target years
    ("2020", "2年度活動見込", "2年度活動見込み"),
    ("2020", "<b>単位当たりコスト</b>", "<b>単位当たりコスト(千円)</b>"),
    ("2018-19", "\t- 年度\t32 年度", "\t- 年度\t2 年度"),
    # a recipient header starting in the first column (its empty rank cell collapsed)
    ("2018-19", "\t支出先\t法人番号", "支出先\t法人番号"),
    # payee rows printed without their ranks (the ranks follow the row order)
    ("2018-19", "\n1\tアイ・ビー・テクノス株式会社", "\n\tアイ・ビー・テクノス株式会社"),
    ("2018-19", "\n2\t株式会社クマヒラ", "\n\t株式会社クマヒラ"),
    # the 2010 budget title worded differently
    ("2010", "予算の状況(単位:百万円)", "予算の状況(百万円)"),
    ("2010", "予算の状況(単位:百万円)", "予算・執行の状況(単位:百万円)"),
    # the no-goal labels in the second column without bold
    ("2016", "<b>定量的な成果目標の設定が困難な場合</b>\t<b>定量的な目標が設定できない理由</b>",
     "\t定量的な成果目標の設定が困難な場合\t定量的な目標が設定できない理由"),
    # ratings and lineage spellings
    ("2020", "となったものはないか。\t無\t", "となったものはないか。\t無し\t"),
    ("2020", "平成31年度\t国土交通省 ( 0241 )", "平成31年度\t国土交通省 0241"),
    ("2020", "関連する過去のレビューシートの事業番号\n\n平成29年度",
     "関連する過去のレビューシートの事業番号\t平成29年度"),
    # probe round 7: wording variants of labels and headings
    ("2018-19", "\t支出先\t法人番号", "\t支出先名\t法人番号"),
    ("2018-19", "\t業務概要\t支出額", "\t業務内容\t支出額"),
    ("2020", "\t単位当たりコスト\t千円\t361.1", "\t単位あたりコスト\t千円\t361.1"),
    ("2020", "<b>単位当たりコスト</b>\t<b>算出根拠", "<b>単位あたりコスト</b>\t<b>算出根拠"),
    # ... a heading without bold whose bracketed note closes a sentence
    ("2018-19", "**支出先上位10者リスト**", "支出先上位10者リスト(支出額の多い順に記載。)"),
    ("2018-19", "**費目・使途**  \n (「資金の流れ」においてブロックごとに最大の金額が支出されている者について記載する。"
     "費目と使途の双方で実情が分かるように記載)",
     "費目・使途 (「資金の流れ」においてブロックごとに最大の金額が支出されている者について記載する。"
     "費目と使途の双方で実情が分かるように記載)"),
    # ... a rating with a note, outcome years with era letters, amounts printed with their unit,
    # rates printed as the fractions they are (Excel's percent format lost on export)
    ("2020", "\t無\t", "\t無（該当なし）\t"),
    ("2020", "単位</b>\t平成29年度\t30年度\t令和元年度\t<b>中間目標", "単位</b>\tH29年度\tH30年度\tR1年度\t<b>中間目標"),
    ("2020", "当初予算\t70\t109\t193\t194\t153", "当初予算\t70百万円\t109百万円\t193百万円\t194百万円\t153百万円"),
    ("2020", "77.1%\t100%\t103.9%\t91.7%", "0.771\t1\t1.039\t0.917"),
    # ... the activity header's two-line outlook cells split over two rows (`2年度` / `活動見込`)
    ("2020", "<b>2年度活動見込</b>\t<b>3年度活動見込</b>", "<b>2年度</b>\t<b>3年度</b>\n\t\t\t\t\t\t\t活動見込\t活動見込"),
    # probe round 9: 予算内訳 item columns worded otherwise; ※ note rows under tables; decorated or
    # shortened 点検 headings; a rating typed with a minus sign
    ("2021-23", "<b>歳出予算目</b>\t<b>4年度当初予算</b>", "<b>歳出予算項・目</b>\t<b>4年度当初予算</b>"),
    ("2021-23", "<b>歳出予算目</b>\t<b>4年度当初予算</b>", "<b>歳出予算科目</b>\t<b>4年度当初予算</b>"),
    ("2021-23", "<b>歳出予算目</b>\t<b>4年度当初予算</b>", "<b>項・事項</b>\t<b>4年度当初予算</b>"),
    ("2020", "<b>歳出予算目</b>\t<b>2年度当初予算</b>", "<b>目</b>\t<b>2年度当初予算</b>"),
    ("2021-23", "計\t\t7\t計\t\t46.1\n", "計\t\t7\t計\t\t46.1\n※金額は単位未満を四捨五入しているため合計が一致しない場合がある。\n"),
    ("2018-19", "計\t\t131\t計\t\t7\n", "計\t\t131\t計\t\t7\n※単位未満四捨五入のため、計が一致しない場合がある。\n"),
    ("2021-23", "\t諸謝金\t4.3\t91\t", "\t諸謝金\t4.3\t91\t\n\t※単位未満四捨五入のため計が一致しない\t\t\t"),
    ("2021-23", "2\t株式会社東機システムサービス\t3010401019131\tスタンドアロンパソコン調達\t0.1\t随意契約(少額)\t-\t-\t\n",
     "2\t株式会社東機システムサービス\t3010401019131\tスタンドアロンパソコン調達\t0.1\t随意契約(少額)\t-\t-\t\n\t※上記は単価契約\n"),
    ("2018-19", "\t項目\t評価\t評価に関する説明\n", "\t項目\t評価\t評価に関する説明\n※評価は○、△、×、-で記入\n"),
    ("2021-23", "事業所管部局による点検・改善\n", "【事業所管部局による点検・改善】\n"),
    ("2021-23", "事業所管部局による点検・改善\n", "■事業所管部局による点検・改善\n"),
    ("2020", "事業所管部局による点検・改善\n", "所管部局による点検・改善\n"),
    ("2018-19", "事業所管部局による点検・改善\n", ""),  # the heading row not exported: its column header opens it
    ("2018-19", "不用率が大きい場合、その理由は妥当か。(理由を右に記載)\t-", "不用率が大きい場合、その理由は妥当か。(理由を右に記載)\t\u2212"),
    # probe round 10: headings with a space anywhere; invisible format characters of copied text
    ("2020", "行政事業レビュー推進チームの所見", "行政事業　レビュー推進チームの所見"),
    ("2020", "**支出先上位10者リスト**", "**支出先 上位10者リスト**"),
    ("2020", "関連する過去のレビューシート", "関連する 過去のレビューシート"),
    ("2020", "所見を踏まえた改善点", "所見を 踏まえた改善点"),
    ("2020", "当初予算\t", "当初\u2060予算\t"),
    ("2020", "支出先上位", "支出\u00ad先上位"),
    ("2020", "<b>事業名</b>", "<b>事業\ufeff名</b>"),
    ("2020", "予算額・執行額", "予算額\u200c・執行額\u200e"),
    # ... negatives as accountants print them, or with other dashes
    *[("2020", "\t0\t0\t▲ 12\t0", f"\t0\t0\t{printed}\t0")
      for printed in ("(12)", "（12）", "12▲", "12 ▲", "(▲12)", "▲(12)", "\u201012", "\u201312", "\u201412", "― 12")],
    ("2012-13", "\t△3,500\t", "\t(3,500)\t"),
    # ... year headers with R元, a second reading in brackets, FY, a dot after the era letter
    ("2020", HEADER_2020, "H29\tH30\tR元\tR2\tR3要求"),
    ("2020", HEADER_2020, "2017(H29)年度\t2018(H30)年度\t2019(R1)年度\t2020(R2)年度\t2021(R3)年度要求"),
    ("2020", HEADER_2020, "平成29(2017)年度\t30(2018)年度\t令和元(2019)年度\t2(2020)年度\t3(2021)年度要求"),
    ("2020", HEADER_2020, "FY2017\tFY2018\tFY2019\tFY2020\tFY2021要求"),
    ("2020", HEADER_2020, "H.29年度\tH.30年度\tR.1年度\tR.2年度\tR.3年度要求"),
    ("2020", "単位</b>\t平成29年度\t30年度\t令和元年度\t<b>中間目標", "単位</b>\tH29\tH30\tR1\t<b>中間目標"),
    ("2020", "単位</b>\t平成29年度\t30年度\t令和元年度\t<b>中間目標", "単位</b>\tH29\tH30\tR元\t<b>中間目標"),
    ("2020", "単位</b>\t平成29年度\t30年度\t令和元年度\t<b>中間目標", "単位</b>\t2017(H29)年度\t2018(H30)年度\t2019(R1)年度\t<b>中間目標"),
    # ... target-year cells spelled otherwise, or an interim target without its 年度
    *[("2020", "\t- 年度\t3 年度", f"\t- 年度\t{printed}")
      for printed in ("R3年度", "2021(R3)年度", "令和3年度末", "3年度末", "(3年度)", "2021", "R3")],
    ("2020", "\t- 年度\t3 年度", "\t-\t3 年度"),
    ("2020", "\t- 年度\t3 年度", "\t未定\t3 年度"),
    # ... total rows labelled 総計 or 計(百万円), in the 用途 column, or after a 小計
    ("2021-23", "\t計\t23\t483", "\t総計\t23\t483"),
    ("2021-23", "\t計\t23\t483", "\t計(百万円)\t23\t483"),
    ("2018-19", "計\t\t131\t計\t\t7\n", "総計\t\t131\t総計\t\t7\n"),
    ("2018-19", "計\t\t131\t計\t\t7\n", "\t計\t131\t\t計\t7\n"),
    ("2018-19", "計\t\t131\t計\t\t7\n", "小計\t\t131\t小計\t\t7\n計\t\t131\t計\t\t7\n"),
    ("2020", "<b>行政事業レビュー推進チームの所見</b>", "<b>レビュー推進チームの所見</b>"),
    # an empty 備考 heading without tags after an extra empty cell (was read as a line of the text above)
    ("2014", "<b>備考</b>", "\t備考"), ("2020", "<b>備考</b>", "\t備考"),
    ("2020", "との関係\t政策\t", "との関係\t政策名\t"),
    *[("2018-19", "\t2010901000236\t", f"\t{printed}\t")
      for printed in ("2 0109 0100 0236", "2ー0109ー0100ー0236", "2\u20100109\u20100100\u20100236", "2010901000236.0")],
    # ... payee blocks titled 【A】 or (A)
    ("2018-19", "\nA.\n", "\n【A】\n"), ("2018-19", "\nB.\n", "\n【B】\n"),
    ("2018-19", "\nB.\n", "\n(B)\n"),
    # ... amounts and rates with a footnote mark, an estimate note or 約
    *[("2020", "当初予算\t70\t109\t193\t194\t153", f"当初予算\t70\t109\t193\t{printed}\t153")
      for printed in ("194※", "194※1", "194*", "194(注)", "194 (注1)", "194(百万円)", "約194", "194見込", "194.")],
    ("2020", "77.1%\t100%\t103.9%\t91.7%", "77.1%\t100%\t103.9%\t約91.7%"),
    ("2020", "77.1%\t100%\t103.9%\t91.7%", "77.1%\t100%\t103.9%\t91.7%(見込)"),
    # ... the 2012 combined activity cell and single unit cost with their unit or 約
    ("2012-13", "件\t1 (1)\t1 (1)", "件\t1件 (1件)\t1 (1)"),
    ("2012-13", "件\t1 (1)\t1 (1)", "件\t約1 (1)\t1 (1)"),
    ("2012-13", "\t100,646千円\t", "\t約100,646千円\t"),
    # ... indicator headers with their year columns on a row of their own
    ("2020", "<b>単位</b>\t平成29年度\t30年度\t令和元年度\t<b>中間目標</b>\t<b>目標最終年度</b>\n",
     "<b>単位</b>\t\t\t\t<b>中間目標</b>\t<b>目標最終年度</b>\n\t\t\t\t\t平成29年度\t30年度\t令和元年度\n"),
    ("2020", "<b>単位</b>\t平成29年度\t30年度\t令和元年度\t<b>2年度活動見込</b>\t<b>3年度活動見込</b>\t\n",
     "<b>単位</b>\n\t\t\t\t平成29年度\t30年度\t令和元年度\t<b>2年度活動見込</b>\t<b>3年度活動見込</b>\n"),
    # ... the 2012 single unit cost: label split over two rows, unit in its own cell or in the label, a year note
    ("2012-13", "<b>単位当たりコスト</b>\t100,646千円\t<b>算出根拠</b>\t執行額 / 施設整備の整備件数\n",
     "<b>単位当たり</b>\t100,646千円\t<b>算出根拠</b>\t執行額 / 施設整備の整備件数\n<b>コスト</b>\n"),
    ("2012-13", "\t100,646千円\t", "\t100,646\t千円\t"),
    ("2012-13", "<b>単位当たりコスト</b>\t100,646千円", "<b>単位当たりコスト(千円)</b>\t100,646"),
    ("2012-13", "\t100,646千円\t", "\t100,646千円(23年度)\t"),
    # ... the outcome's data-source label split over two rows
    ("2018-19", "\t<b>根拠として用いた統計・データ名(出典)</b>\t国土技術政策総合研究所(横須賀)調べ",
     "\t<b>根拠として用いた統計・</b>\t国土技術政策総合研究所(横須賀)調べ\n\t<b>データ名(出典)</b>"),
    # probe round 12 (2010-2014 forms): label wordings, footnote marks and formula letters on labels
    *[("2012-13", "活動実績 (当初見込み)", f"活動実績 {label}") for label in ("(当初見込み値)", "(見込み)", "(見込)", "(当初計画)")],
    ("2010", "\t予算額(当初)\t", "\t予算額(当初)※\t"),
    ("2010", "\t執行額\t", "\t執行額※\t"),
    ("2010", "\t予算額(当初)\t", "\t予算額(当初)(B)\t"),
    ("2010", "\t予算額(補正後)\t", "\t補正後予算\t"), ("2010", "\t執行額\t", "\t決算額\t"),
    ("2012-13", "\t繰越し等\t", "\t繰越額等\t"), ("2012-13", "\t繰越し等\t", "\t前年度繰越し等\t"),
    # ... the lineage table printed as a grid: a row of years over a row of numbers
    ("2014", "平成22年度\t0065-1\t平成23年度\t0062\t平成24年度\t0065\t平成25年度\t0065",
     "平成22年度\t平成23年度\t平成24年度\t平成25年度\n0065-1\t0062\t0065\t0065"),
    # ... expense blocks without their A. / B. title row (letters in column order)
    ("2018-19", "A.\t\t\tB.\t\t\n", ""),
    # ... the expense header's unit on the row below it
    ("2018-19", "費目\t使途\t金額 (百万円)\t費目\t使途\t金額 (百万円)", "費目\t使途\t金額\t費目\t使途\t金額\n\t\t(百万円)\t\t\t(百万円)"),
]


@pytest.mark.parametrize("family, old, new", SAME_AS_FIXTURE)
def test_variant_parses_like_the_fixture(family, old, new):
    text = sheet_text(family)
    assert parse(mutate(text, old, new)) == parse(text)


@pytest.mark.parametrize("printed, start, end", [
    ("昭和18年度開始<br>終了予定なし", 1943, None),
    ("平成20年度開始・終了予定なし", 2008, None),
    ("開始:平成20年度 終了:未定", 2008, None),
    ("平成20年度\t~\t平成24年度", 2008, 2012),
    ("平成20年度~\t平成24年度", 2008, 2012),
    ("平成5~25年度", 1993, 2013),
    ("平成20年4月~平成25年3月", 2008, 2012),
])
def test_combined_start_end_cell(printed, start, end):
    project = parse_bytes(mutate(sheet_text("2014"), "昭和18年度開始", printed).encode(), "v.txt").project
    assert (project["start_fiscal_year"], project["end_fiscal_year"]) == (start, end)


def test_expense_and_recipient_cells_the_export_split_over_rows_are_joined():
    """The rest of a 用途 or 契約方式等 cell on the row below joins its row (as names and 業務概要 do)."""
    expense_row = "委託費\t庁舎空調設備改修\t86\t委託費\t国総研(第二庁舎)屋上防水改修\t7"
    payee_row = "1\tアイ・ビー・テクノス株式会社\t2010901000236\t庁舎空調設備改修\t86\t随意契約(少額)\t-\t-\t"
    text = mutate(sheet_text("2018-19"), expense_row,
                  expense_row.replace("庁舎空調設備改修", "庁舎空調") + "\n\t設備改修\t\t\t\t")
    text = mutate(text, payee_row, payee_row.replace("随意契約(少額)", "随意契約") + "\n\t\t\t\t\t(少額)")
    sheet = parse_bytes(text.encode("utf-8"), "variant.txt")
    fixture = parse_bytes(sheet_text("2018-19").encode("utf-8"), "variant.txt")
    assert len(sheet.tables["expense"]) == len(fixture.tables["expense"])
    assert [e["purpose"] for e in sheet.tables["expense"] if e["block"] == "A"][0] == "庁舎空調\n設備改修"
    assert [r["row_no"] for r in sheet.tables["expense"]] == [r["row_no"] for r in fixture.tables["expense"]]
    payee = next(r for r in sheet.tables["recipient"] if r["name"].startswith("アイ・ビー"))
    assert payee["contract_method"] == "随意契約\n(少額)"


def test_basic_information_cells_split_over_rows_or_shifted_by_a_merged_cell():
    """A second law, a second account or the end of a start/end cell on the row below (the rest of a
    multi-line cell) joins its value; a value one cell further right (a collapsed merge) is its label's."""
    lines = sheet_text("2014").split("\n")
    start_end, accounts, laws = lines[4], lines[5], lines[6]
    text = mutate(sheet_text("2014"), laws, laws + "\n\t関税法第1条")
    text = mutate(text, accounts, accounts + "\n\t東日本大震災復興特別会計")
    text = mutate(text, start_end, start_end + "\n\t平成30年度終了予定")
    project = parse_bytes(text.encode("utf-8"), "variant.txt").project
    assert project["legal_basis"] == "財務省設置法第4条第1項\n関税法第1条"
    assert project["account_type"] == "一般会計\n東日本大震災復興特別会計"
    assert (project["start_fiscal_year"], project["end_fiscal_year"]) == (1943, 2018)
    shifted = mutate(sheet_text("2016"), "<b>事業開始年度</b>\t平成27年度\t<b>事業終了(予定)年度</b>\t平成27年度",
                     "<b>事業開始年度</b>\t平成27年度\t\t<b>事業終了(予定)年度</b>\t\t平成27年度")
    project = parse_bytes(shifted.encode("utf-8"), "variant.txt").project
    assert (project["start_fiscal_year"], project["end_fiscal_year"]) == (2015, 2015)


def test_checkboxes_one_per_cell_and_a_ticked_account():
    text = mutate(sheet_text("2016"), "□直接実施 ■委託・請負 □補助 □負担 □交付 □貸付 □その他",
                  "□直接実施\t■委託・請負\t■補助\t□負担\t□交付\t□貸付\t□その他")
    assert parse_bytes(text.encode("utf-8"), "variant.txt").project["implementation_method"] == \
        "□直接実施 ■委託・請負 ■補助 □負担 □交付 □貸付 □その他"
    text = mutate(sheet_text("2014"), "<b>会計区分</b>\t一般会計", "<b>会計区分</b>\t■一般会計　□特別会計")
    assert parse_bytes(text.encode("utf-8"), "variant.txt").project["account_type"] == "一般会計"


@pytest.mark.parametrize("printed, account", [
    ("□一般会計 ■特別会計（エネルギー対策特別会計 電源開発促進勘定）", "特別会計(エネルギー対策特別会計 電源開発促進勘定)"),
    ("☑一般会計 ☐特別会計", "一般会計"), ("☒一般会計 ☐特別会計", "一般会計"), ("✓一般会計 □特別会計", "一般会計"),
    ("●一般会計 ○特別会計", "一般会計"),
    ("□一般会計\t■特別会計\t(東日本大震災復興特別会計)", "特別会計(東日本大震災復興特別会計)"),
])
def test_account_checkboxes_marked_otherwise_or_continued_in_the_next_cell(printed, account):
    text = mutate(sheet_text("2018-19"), "<b>会計区分</b>\t一般会計", f"<b>会計区分</b>\t{printed}")
    assert parse_bytes(text.encode(), "v.txt").project["account_type"] == account


@pytest.mark.parametrize("marks", [("☑", "☐"), ("✔", "□"), ("■", "☐")])
def test_implementation_checkboxes_one_per_cell_with_other_marks(marks):
    ticked, unticked = marks
    printed = f"{ticked}直接実施\t{ticked}委託・請負\t{unticked}補助\t{unticked}負担\t{unticked}交付\t{unticked}貸付\t{unticked}その他"
    text = mutate(sheet_text("2018-19"), "■直接実施 ■委託・請負 □補助 □負担 □交付 □貸付 □その他", printed)
    assert parse_bytes(text.encode(), "v.txt").project["implementation_method"] == \
        "■直接実施 ■委託・請負 □補助 □負担 □交付 □貸付 □その他"


def test_a_payee_named_with_two_letters_opens_no_block():
    text = mutate(sheet_text("2018-19"), "\n2\t株式会社クマヒラ", "\n\tJV")
    payees = [(r["block"], r["rank"], r["name"]) for r in parse_bytes(text.encode(), "v.txt").tables["recipient"]]
    assert payees[:3] == [("A", 1, "アイ・ビー・テクノス株式会社"), ("A", 2, "JV"), ("A", 3, "株式会社片山建設")]


def test_two_values_continued_on_one_row():
    """The second lines of 根拠法令 and 関係する計画 (or of 担当部局庁 and 作成責任者) share the next row."""
    lines = sheet_text("2018-19").split("\n")
    laws = next(n for n, line in enumerate(lines) if line.startswith("<b>根拠法令"))
    lines.insert(laws + 1, "\t港湾法第43条の2\t\t\t\t社会資本整備重点計画")
    bureau = next(n for n, line in enumerate(lines) if line.startswith("<b>事業名"))
    lines.insert(bureau + 1, "\t\t\t\t\t港湾局\t\t\t企画調整課長")
    project = parse_bytes("\n".join(lines).encode(), "v.txt").project
    assert project["legal_basis"] == "国土交通省設置法第4条\n港湾法第43条の2"
    assert project["related_plans"].endswith("(閣議決定)\n社会資本整備重点計画")
    assert project["bureau"] == "国土技術政策総合研究所(横須賀)\n港湾局"
    assert project["responsible_official"] == "課長 村上 学\n企画調整課長"


@pytest.mark.parametrize("upper, lower", [("法人", "番号"), ("支出", "額(百万円)"), ("支出額", "(百万円)")])
def test_a_payee_header_label_split_over_two_rows(upper, lower):
    text = sheet_text("2018-19")
    label = upper + lower
    header = next(line for line in text.split("\n") if f"\t{label}\t" in line)
    cells = header.split("\t")
    at = cells.index(label)
    split = "\t".join(cells[:at] + [upper] + cells[at + 1:]) + "\n" + "\t" * at + lower
    variant = parse_bytes(text.replace(header, split).encode(), "v.txt")
    assert parse(text.replace(header, split))["recipient"] == parse(text)["recipient"]
    assert not [i for i in variant.issues if i.check_name in ("unknown_label", "section_unreadable")]


def _expenses(text: str) -> list[tuple]:
    sheet = parse_bytes(text.encode(), "v.txt")
    return [(r["block"], r["row_no"], r["expense_item"], r["purpose"], r["amount_million_yen"]) for r in sheet.tables["expense"]]


def test_an_expense_amount_on_the_last_line_of_its_split_purpose():
    text = mutate(sheet_text("2018-19"), "\t委託費\t国総研(第二庁舎)屋上防水改修\t7\n",
                  "\t委託費\t国総研(第二庁舎)\t\n\t\t\t\t屋上防水改修\t7\n")
    assert ("B", 1, "委託費", "国総研(第二庁舎)\n屋上防水改修", Decimal(7)) in _expenses(text)
    assert len(_expenses(text)) == len(_expenses(sheet_text("2018-19")))


def test_a_second_band_of_expense_blocks_without_titles_and_a_blank_first_title():
    text = sheet_text("2018-19")
    band = text[text.index("費目\t使途\t金額 (百万円)"):text.index("計\t\t131\t計\t\t7\n") + len("計\t\t131\t計\t\t7\n")]
    second = parse_bytes(text.replace(band, band + band).encode(), "v.txt").tables["expense"]
    assert sorted({(r["block"], r["row_no"]) for r in second}) == [
        ("A", 1), ("A", 2), ("A", 3), ("B", 1), ("C", 1), ("C", 2), ("C", 3), ("D", 1)]
    assert _expenses(mutate(text, "A.\t\t\tB.", "\t\t\tB.")) == _expenses(text)


def test_a_2012_unit_cost_basis_continued_on_the_next_row():
    text = mutate(sheet_text("2012-13"), "\t執行額 / 施設整備の整備件数\n", "\t執行額 /\n\t\t\t施設整備の整備件数\n")
    [cost] = [r for r in parse_bytes(text.encode(), "v.txt").tables["indicator"] if r["kind"] == "unit_cost"]
    assert (cost["goal"], cost["value"], cost["unit"]) == ("執行額 /\n施設整備の整備件数", Decimal(100646), "千円")


def test_a_data_source_continued_on_its_own_row_is_no_line_of_the_next_indicator():
    source = "\t<b>根拠として用いた統計・データ名(出典)</b>\t国土技術政策総合研究所\t\t\t\t\t\t\t\t\n"
    text = mutate(sheet_text("2018-19"), "\t<b>根拠として用いた統計・データ名(出典)</b>\t国土技術政策総合研究所(横須賀)調べ\t\t\t\t\t\t\t\n",
                  source + "\t\t(横須賀)調べ\n\t目標B\t指標B\t成果実績\t式\t2\t2\t2\t-\t-\n\t\t\t目標値\t式\t2\t2\t2\t-\t2\n"
                  + source + "\t\t(横須賀)調べ\n")
    outcomes = {(r["indicator_no"], r["name"], r["goal"]) for r in parse_bytes(text.encode(), "v.txt").tables["indicator"]
                if r["kind"] == "outcome"}
    assert outcomes == {(1, "改修施設・設備数", "多種多様な施設・設備の機能維持及び機能回復"), (2, "指標B", "目標B")}


def _policies(text: str) -> set[tuple]:
    return {(r["indicator_no"], r["name"], r["measure"], r["fiscal_year"], r["value"])
            for r in parse_bytes(text.encode(), "v.txt").tables["indicator"] if r["kind"] == "policy"}


def test_a_second_kpi_table_whose_merged_label_was_printed_once_and_a_kpi_name_over_two_rows():
    text = sheet_text("2020")
    header = next(line for line in text.split("\n") if line.startswith("\t測定指標\t"))
    table = text[text.index(header):text.index("\t本事業の成果と上位施策")]
    second = table.replace(header, header.replace("\t測定指標\t民泊制度運営システムの利用者数(住宅宿泊事業者)(施策全体)",
                                                  "\t\t訪日外国人旅行者数"))
    first = {row[1:] for row in _policies(text)}
    assert {row[1:] for row in _policies(text.replace(table, table + second))} == first | {
        ("訪日外国人旅行者数",) + row[1:] for row in first}
    split = text.replace(header, header.replace("(施策全体)", "") + "\n\t\t(施策全体)")
    assert {row[1] for row in _policies(split)} == {"民泊制度運営システムの利用者数(住宅宿泊事業者)\n(施策全体)"}


def _excel_field(field: str) -> str:
    """A field as a spreadsheet's tab-delimited export writes it: quoted when it holds a line
    break or a quote (inner quotes doubled), the line break kept."""
    field = field.replace("<br>", "\n")
    return '"' + field.replace('"', '""') + '"' if "\n" in field or '"' in field else field


@pytest.mark.parametrize("family", ["2021-23", "2010", "2020"])
def test_a_spreadsheets_own_tab_delimited_export_with_quoted_multi_line_cells(family):
    text = sheet_text(family)
    excel = "\n".join("\t".join(_excel_field(f) for f in line.split("\t")) for line in text.split("\n"))
    everything_quoted = "\n".join("\t".join('"' + f.replace('"', '""') + '"' if f else f for f in line.split("\t"))
                                  for line in text.split("\n"))
    assert parse(excel) == parse(text) == parse(everything_quoted)


def test_a_quote_in_a_cell_of_a_spreadsheet_export_and_one_in_a_plain_export():
    text = sheet_text("2020")
    name = "健全な民泊サービスの普及"
    assert name in text
    quoted = mutate(text, name, '"""健全な""民泊サービスの普及"').replace("\t" + '"""', "\t" + '"""', 1)
    assert parse_bytes(quoted.encode(), "v.txt").project["project_name"] == '"健全な"民泊サービスの普及'
    plain = mutate(text, name, '"健全な"民泊サービスの普及')
    assert parse_bytes(plain.encode(), "v.txt").project["project_name"] == '"健全な"民泊サービスの普及'


@pytest.mark.parametrize("printed", ["平成24年度単年度", "平成24年度のみ", "平成24年度限り"])
def test_a_single_year_project_ends_in_its_start_year(printed):
    text = mutate(sheet_text("2012-13"), "\t平成5年度~平成25年度\t", f"\t{printed}\t")
    project = parse_bytes(text.encode(), "v.txt").project
    assert (project["start_fiscal_year"], project["end_fiscal_year"]) == (2012, 2012)


@pytest.mark.parametrize("old, new", [("国費投入の必要性", "事業の必要性"), ("事業の効率性", "効率性"), ("事業の効率性", "事業の効率化")])
def test_older_category_wordings_name_their_questions(old, new):
    """The older wording names the same questions, stored under the contract's name."""
    text = sheet_text("2010")
    before = parse_bytes(text.encode(), "v.txt").tables["assessment"]
    after = parse_bytes(mutate(text, old + "\t", new + "\t").encode(), "v.txt").tables["assessment"]
    assert new in text.replace(old + "\t", new + "\t") and old in {r["category"] for r in before}
    assert after == before


def test_budget_items_with_the_request_column_printed_first():
    """`27年度要求 ⇥ 26年度当初予算`: 26 after 27 is not the next era's 26 (2044)."""
    text = sheet_text("2014")
    swapped = mutate(text, "<b>26年度当初予算</b>\t<b>27年度要求</b>", "<b>27年度要求</b>\t<b>26年度当初予算</b>")
    for row in ("庁費\t68\t180", "職員旅費\t53\t144", "諸謝金\t24\t66", "計\t145\t390"):
        name, a, b = row.split("\t")
        swapped = mutate(swapped, f"\t{row}", f"\t{name}\t{b}\t{a}")
    assert parse(swapped)["budget_item"] == parse(text)["budget_item"]


@pytest.mark.parametrize("printed, start, end", [("H5~H25", 1993, 2013), ("S62~", 1987, None)])
def test_a_combined_start_end_cell_without_nen(printed, start, end):
    project = parse_bytes(mutate(sheet_text("2012-13"), "\t平成5年度~平成25年度\t", f"\t{printed}\t").encode(), "v.txt").project
    assert (project["start_fiscal_year"], project["end_fiscal_year"]) == (start, end)


def test_a_change_reason_continued_on_the_next_row():
    text = mutate(sheet_text("2014"), "\t庁費\t68\t180\t事業の拡充による増", "\t庁費\t68\t180\t事業の拡充\n\t\t\t\tによる増")
    items = parse_bytes(text.encode("utf-8"), "variant.txt").tables["budget_item"]
    assert {i["change_reason"] for i in items if i["item_name"] == "庁費"} == {"事業の拡充\nによる増"}
    assert len(items) == len(parse_bytes(sheet_text("2014").encode("utf-8"), "variant.txt").tables["budget_item"])


def test_a_western_date_in_the_start_cell_is_read_as_its_fiscal_year():
    text = mutate(sheet_text("2020"), "\t平成29年度\t<b>事業終了", "\t2017/4/1\t<b>事業終了")
    assert parse_bytes(text.encode("utf-8"), "variant.txt").project["start_fiscal_year"] == 2017


def test_a_date_in_the_end_cell_is_read_as_its_fiscal_year():
    text = mutate(sheet_text("2016"), "<b>事業終了(予定)年度</b>\t平成27年度", "<b>事業終了(予定)年度</b>\t平成28年3月31日")
    assert parse_bytes(text.encode(), "v.txt").project["end_fiscal_year"] == 2015


def test_an_item_name_continued_on_the_next_row():
    lines = sheet_text("2014").split("\n")
    at = next(n for n, line in enumerate(lines) if line.startswith("\t庁費\t68\t180"))
    text = "\n".join(lines[:at + 1] + ["\t(うち研修分)", "\t小計\t68\t180"] + lines[at + 1:])
    items = parse_bytes(text.encode(), "v.txt").tables["budget_item"]
    assert {(i["item_no"], i["item_name"]) for i in items} == {(1, "庁費\n(うち研修分)"), (2, "職員旅費"), (3, "諸謝金")}


@pytest.mark.parametrize("total_row", ["\t計\t23\t483", "\t計\t\t23\t483", "\t\t計\t23\t483"])
def test_budget_items_with_a_column_of_their_own_for_the_section(total_row):
    """項 and 目 in two columns (項 printed once for the items under it): the item is named
    項／目 like the RS System's items; the 計 row, spanning both or in either, is the total."""
    text = mutate(sheet_text("2021-23"), "<b>歳出予算目</b>\t<b>4年度当初予算</b>", "<b>項</b>\t<b>目</b>\t<b>4年度当初予算</b>")
    text = mutate(text, "\t庁費\t12.8", "\t防衛本省共通費\t庁費\t12.8")
    text = mutate(mutate(text, "\t職員旅費\t5.9", "\t\t職員旅費\t5.9"), "\t諸謝金\t4.3", "\t\t諸謝金\t4.3")
    sheet = parse_bytes(mutate(text, "\t計\t23\t483", total_row).encode(), "v.txt")
    original = parse_bytes(sheet_text("2021-23").encode(), "v.txt")
    renamed = [dict(i, item_name=f"防衛本省共通費／{i['item_name']}") for i in original.tables["budget_item"]]
    assert sheet.tables["budget_item"] == renamed
    assert sheet.tables["printed_total"] == original.tables["printed_total"]
    assert not [w for w in sheet.issues if w.check_name == "unknown_label"]


def test_a_2010_request_column_printed_without_its_request_word():
    """No year in the title and `23年度` for `23年度要求`: the review year is the first year
    not yet executed (22), and the column after it can only be the request."""
    text = sheet_text("2010")
    assert parse(mutate(text, "23年度要求", "23年度")) == parse(text)


def test_a_column_after_the_review_year_is_the_request_even_unlabelled():
    text = sheet_text("2020")
    assert parse(mutate(text, HEADER_2020, "平成29年度\t30年度\t令和元年度\t2年度\t3年度")) == parse(text)


MONEY_TABLES = {"budget_line": "予算額・執行額(単位:百万円)", "budget_item": "予算内訳(単位:百万円)",
                "expense": "金額 (百万円)", "recipient": "支出額(百万円)"}


@pytest.mark.parametrize("table", MONEY_TABLES)
@pytest.mark.parametrize("unit, factor", [("千円", "0.001"), ("円", "0.000001"), ("億円", "100")])
def test_a_money_table_printed_in_another_unit_is_converted_to_million_yen(table, unit, factor):
    """A table whose title or amount header names 千円, 円 or 億円 is loaded in 百万円, exactly;
    the other tables keep their amounts."""
    text = sheet_text("2020")
    heading = MONEY_TABLES[table]
    original = parse_bytes(text.encode(), "v.txt").tables
    converted = parse_bytes(mutate(text, heading, heading.replace("百万円", unit)).encode(), "v.txt").tables
    for name, rows in original.items():
        for before, after in zip(rows, converted[name], strict=True):
            before, after = _printed_aside(before), _printed_aside(after)
            amount = before.get("amount_million_yen")
            if name == "printed_total" and before["table_name"] == table:
                continue  # checked below
            if amount is None or name != table:
                assert after == before
            else:
                assert after == dict(before, amount_million_yen=amount * Decimal(factor))
    totals = [(b, a) for b, a in zip(original["printed_total"], converted["printed_total"]) if b["table_name"] == table]
    assert all(a["amount_million_yen"] == b["amount_million_yen"] * Decimal(factor) for b, a in totals)
    assert totals or table in ("budget_line", "recipient")  # (a budget 計 is a budget line; no 計 under these payees)


def _printed_aside(row: dict) -> dict:
    return {k: v for k, v in row.items() if k not in PRINTED}


def test_the_unit_of_the_2010_budget_table_on_a_row_of_its_own():
    text = sheet_text("2010")
    moved = mutate(text, "<b>予算の状況(単位:百万円)</b>\t\t19年度", "<b>予算の状況</b>\n(単位:千円)\t\t19年度")
    before = parse_bytes(text.encode(), "v.txt").tables["budget_line"]
    after = parse_bytes(moved.encode(), "v.txt").tables["budget_line"]
    assert [r["amount_million_yen"] for r in after] == [
        None if r["amount_million_yen"] is None else r["amount_million_yen"] / 1000 for r in before]


@pytest.mark.parametrize("old, new, expected", [
    ("平成29年度\t0243", "H29\t0243", None),
    ("平成29年度\t0243", "H.29\t0243", None),
    ("平成29年度\t0243", "平成29年度(2017年度)\t0243", None),
    ("平成31年度\t", "平成31年度(令和元年度)\t", None),
    ("平成29年度\t0243", "平成29年度\t0243(新規)", None),
    ("平成29年度\t0243", "平成29年度\t新29-0035、新29-0036", {(2017, None, "新29-0035"), (2017, None, "新29-0036")}),
    ("平成29年度\t0243", "平成29年度\t0139及び0140", {(2017, None, "0139"), (2017, None, "0140")}),
    ("平成29年度\t0243", "平成29年度\t総務省(0037)、文部科学省(0012)", {(2017, "総務省", "0037"), (2017, "文部科学省", "0012")}),
    ("平成29年度\t0243", "平成29年度\t総務省:0037", {(2017, "総務省", "0037")}),
])
def test_lineage_cells_printed_otherwise(old, new, expected):
    """Year cells without 年 or with a second reading; numbers with a note, in lists, with ministries."""
    text = sheet_text("2020")

    def pairs(sheet_text_: str) -> set:
        rows = parse_bytes(sheet_text_.encode(), "v.txt").tables["lineage"]
        return {(r["past_review_year"], r["past_ministry"], r["past_project_number"]) for r in rows}

    original = pairs(text)
    if expected is None:
        assert pairs(mutate(text, old, new)) == original
    else:
        assert pairs(mutate(text, old, new)) == {p for p in original if p[0] != 2017} | expected


def test_an_end_year_without_its_era_after_a_heisei_start_is_reiwa():
    text = mutate(sheet_text("2018-19"), "昭和23年度\t<b>事業終了(予定)年度</b>\t終了予定なし",
                  "平成30年度\t<b>事業終了(予定)年度</b>\t2年度")
    project = parse_bytes(text.encode(), "v.txt").project
    assert (project["start_fiscal_year"], project["end_fiscal_year"]) == (2018, 2020)


def test_a_corporate_number_that_is_not_13_digits_is_reported():
    sheet = parse_bytes(mutate(sheet_text("2018-19"), "\t2010901000236\t", "\t010901000236\t").encode(), "v.txt")
    assert [w.observed for w in sheet.issues if w.check_name == "invalid_value"] == ["010901000236"]


@pytest.mark.parametrize("printed, number", [
    ("0529(再掲)", "0529"), ("0529 (新規)", "0529"), ("新規", None), ("なし", None), ("未定", None),
    ("復興庁 12 国土交通省 529", "529"), ("復興庁(12)、国土交通省(529)", "529"), ("復興庁:12 国土交通省:529", "529"),
])
def test_the_project_number_printed_with_a_note_as_a_word_or_for_a_joint_sheet(printed, number):
    text = mutate(sheet_text("2018-19"), "<b>事業番号</b>\t0529", f"<b>事業番号</b>\t{printed}")
    assert parse_bytes(text.encode(), "v.txt").project["project_number"] == number


def test_a_winning_bid_rate_printed_as_a_fraction():
    from transforms.sections.recipients import _bid_rate

    assert _bid_rate("0.943") == _bid_rate("94.3%") == _bid_rate("94.3")


def test_a_title_whose_ministry_names_a_bureau_in_brackets():
    seed = (FORMS.parent.parent.parent / "data" / "samples" / "000_93cbbc1f3e48d561.txt").read_text(encoding="utf-8")
    text = mutate(seed, "( 総務省 )", "( 内閣府(地方創生推進事務局) )")
    assert parse_bytes(text.encode(), "v.txt").project["ministry"] == "内閣府(地方創生推進事務局)"


def test_text_cells_the_export_split_over_rows_are_joined():
    seed = (FORMS.parent.parent.parent / "data" / "samples" / "000_93cbbc1f3e48d561.txt").read_text(encoding="utf-8")
    text = mutate(seed, "\t施策\t電子政府・電子自治体の推進", "\t施策\t電子政府・電子自治体の\n\t\t推進")
    text = mutate(text, "\t改善の方向性\t今後も引き続き適正な予算執行に努めつつ、事業目的",
                  "\t改善の方向性\t今後も引き続き適正な予算執行に努めつつ、\n\t\t事業目的")
    # a question whose first line has no rating yet, an explanation continued below its row
    text = mutate(text, "\t一般競争契約、指名競争契約又は随意契約(企画競争)による支出のうち、一者応札",
                  "\t一般競争契約、指名競争契約又は随意契約(企画競争)による支出のうち、\n\t一者応札")
    text = mutate(text, "維持するための事業であり、国が責任", "維持するための事業であり、\n\t\t\t国が責任")
    sheet = parse_bytes(text.encode(), "v.txt")
    original = parse_bytes(seed.encode(), "v.txt")
    assert sheet.project["policy_measure"] == "電子政府・電子自治体の\n推進"
    assert sheet.project["improvement_direction"] == original.project["improvement_direction"].replace("、事業目的", "、\n事業目的")
    questions = [(a["item_no"], a["question"], a["rating"]) for a in sheet.tables["assessment"]]
    assert questions == [(a["item_no"], a["question"], a["rating"]) for a in original.tables["assessment"]]
    seventh = sheet.tables["assessment"][6]["explanation"]
    assert seventh == original.tables["assessment"][6]["explanation"].replace("であり、国が", "であり、\n国が")


@pytest.mark.parametrize("title", ["<b>令和2年度行政事業レビューシート ( 国土交通省 )</b>", "**令和2年度行政事業レビューシート ( 国土交通省 )**"])
def test_a_bold_title_is_no_unknown_label(title):
    sheet = parse_bytes(mutate(sheet_text("2020"), "令和2年度行政事業レビューシート ( 国土交通省 )", title).encode(), "v.txt")
    assert sheet.issues == [] and sheet.project["ministry"] == "国土交通省"


def test_outlook_columns_printed_without_their_years():
    text = mutate(sheet_text("2018-19"), "<b>31年度活動見込</b>\t<b>32年度活動見込</b>", "<b>-年度活動見込</b>\t<b>-年度活動見込</b>")
    assert parse(text) == parse(sheet_text("2018-19"))  # the years after the last year column


def test_a_key_printed_twice_keeps_the_first_row_and_warns():
    # a rank typed twice in a recipient block: one row per (block, rank), the first kept, a warning
    text = mutate(sheet_text("2018-19"), "\n2\t株式会社クマヒラ", "\n1\t株式会社クマヒラ")
    sheet = parse_bytes(text.encode(), "v.txt")
    ranks = [(r["block"], r["rank"], r["name"]) for r in sheet.tables["recipient"] if r["block"] == "A"]
    assert ranks[:2] == [("A", 1, "アイ・ビー・テクノス株式会社"), ("A", 3, "株式会社片山建設")]
    assert [i.check_name for i in sheet.issues] == ["duplicate_key"]


def test_a_few_invalid_bytes_in_a_utf8_sheet_are_a_warning_not_a_refusal():
    data = sheet_text("2020").encode()
    mixed = data.replace("観光産業課".encode(), "観光産業課".encode("cp932"), 1)  # one cell pasted from cp932
    sheet = parse_bytes(mixed, "v.txt")
    assert [i.check_name for i in sheet.issues] == ["undecodable_bytes"]
    amounts = [(r["fiscal_year"], r["line"], r["amount_million_yen"]) for r in sheet.tables["budget_line"]]
    assert amounts == [(r["fiscal_year"], r["line"], r["amount_million_yen"])
                       for r in parse_bytes(data, "v.txt").tables["budget_line"]]
    cut = parse_bytes(data + "課".encode()[:2], "v.txt")  # the file ends inside a character
    assert [i.check_name for i in cut.issues] == ["undecodable_bytes"]
    assert parse_bytes(sheet_text("2020").encode("cp932"), "v.txt").source.encoding == "cp932"


def test_free_text_starting_with_a_heading_word_opens_no_section():
    text = sheet_text("2020")
    # an explanation continued on a row of its own, in its column, that starts like a heading
    continued = mutate(text, "国が主体となって実施すべき事業であり、国", "国が主体となって実施すべき事業であり、\n\t\t\t予算内訳のとおり国")
    sheet = parse_bytes(continued.encode(), "v.txt")
    assert len(sheet.tables["assessment"]) == len(parse_bytes(text.encode(), "v.txt").tables["assessment"])
    assert "予算内訳のとおり" in sheet.tables["assessment"][6]["explanation"]
    # an opinion sentence in the first column that starts with a heading's words
    opinion = mutate(text, "事業の成果を分かりやすく示す指標の設定について検討すべき。",
                     "成果目標及び成果実績を見直すべき。")
    assert parse_bytes(opinion.encode(), "v.txt").project["external_expert_opinion"] == "成果目標及び成果実績を見直すべき。"


PAGE_BREAKS = [
    # a page number alone on a row, in the first column or further right
    ("\t職員旅費\t5.9\t125", "- 2 -\n\t職員旅費\t5.9\t125"),
    ("\t職員旅費\t5.9\t125", "\t- 2 -\n\t職員旅費\t5.9\t125"),
    ("委託費\tシールドボックス\t7", "2/3\n委託費\tシールドボックス\t7"),
    # the title repeated at the top of a page, after 計 of the 予算内訳
    ("\t計\t23\t483", "\t計\t23\t483\n令和4年度行政事業レビューシート ( 防衛省 )"),
    # a table continued on the next page: its heading (and header row) printed again
    ("\t職員旅費\t5.9\t125",
     "<b>令和4・5年度予算内訳(続き)(単位:百万円)</b>\t<b>歳出予算目</b>\t<b>4年度当初予算</b>\t<b>5年度要求</b>\n"
     "\t職員旅費\t5.9\t125"),
    ("\t\t\t委託費\tスタンドアロンパソコン調達\t0.1", "**費目・用途(続き)**\n\t\t\t委託費\tスタンドアロンパソコン調達\t0.1"),
    # HTML entities and Office tags in ordinary cells
    ("\t庁費\t12.8\t267", "\t庁費\t12.8&nbsp;\t267<o:p></o:p>"),
    ("\t職員旅費\t5.9\t125", "\t職員旅費\t5.9\t125\t&nbsp;"),
]


@pytest.mark.parametrize("old, new", PAGE_BREAKS)
def test_page_break_artefacts_leave_the_rows_unchanged(old, new):
    text = sheet_text("2021-23")
    assert parse(mutate(text, old, new)) == parse(text)


def _replace_line(text: str, starts: str, rows: list[list[str]]) -> str:
    """`text` with its line starting `starts` replaced by `rows` (lists of cells)."""
    lines = text.split("\n")
    at = next(n for n, line in enumerate(lines) if line.startswith(starts))
    return "\n".join(lines[:at] + ["\t".join(r) for r in rows] + lines[at + 1:])


def _cells(text: str, starts: str) -> list[str]:
    return next(line for line in text.split("\n") if line.startswith(starts)).split("\t")


@pytest.mark.parametrize("family, first, second", [
    ("2020", "国費投入の必要性\t事業の目的は", "\t地方自治体、民間等に"),
    ("2020", "事業の効率性\t競争性が", "\t一般競争契約、指名競争契約"),
    ("2010", "国費投入の必要性\t広く国民", "\t地方自治体、民間等に"),
])
def test_a_category_label_split_over_the_rows_of_its_questions(family, first, second):
    """The category's cell split over two rows, each piece beside a question of its own."""
    text = sheet_text(family)
    category = first.split("\t")[0]
    head, tail = category[: len(category) // 2 + 1], category[len(category) // 2 + 1:]
    split = mutate(mutate(text, first, first.replace(category, head)), second, tail + second)
    assert parse(split) == parse(text)


def test_cells_the_export_split_over_two_rows_in_the_old_forms():
    text = sheet_text("2010")
    # the request column's 要求 on the row below its year
    header = _cells(text, "<b>予算の状況")
    at = header.index("23年度要求")
    split = _replace_line(text, "<b>予算の状況", [header[:at] + ["23年度"] + header[at + 1:], [""] * at + ["要求"]])
    assert parse(split) == parse(text)
    # a question's first line with its rating, the rest below; or the rest with the rating
    item = _cells(text, "国費投入の必要性\t広く国民")
    first = _replace_line(text, "国費投入の必要性\t広く国民",
                          [[item[0], "広く国民のニーズがあり、"] + item[2:], ["", "優先度が高い事業か。"]])
    later = _replace_line(text, "国費投入の必要性\t広く国民",
                          [[item[0], "広く国民のニーズがあり、"], ["", "優先度が高い事業か。"] + item[2:]])
    assert parse(first) == parse(text) == parse(later)
    # ... and its category label too, the question's lines beside the label's lines
    split_both = _replace_line(text, "国費投入の必要性\t広く国民",
                               [["国費投入の", "広く国民のニーズがあり、"] + item[2:], ["必要性", "優先度が高い事業か。"]])
    assert parse(split_both) == parse(text)
    # 重複排除, the older name of the related-projects category, is stored under the contract's name
    category = parse_bytes(mutate(text, "関連事業\t", "重複排除\t").encode(), "v.txt").tables["assessment"]
    assert {a["category"] for a in category if a["item_no"] == len(category)} == {"関連事業"}
    assert parse(mutate(text, "関連事業\t", "重複排除\t"))["assessment"] == parse(text)["assessment"]


def test_the_2014_title_and_start_end_rows_split_over_rows():
    text = sheet_text("2014")
    titled = mutate(text, "<b>平成26・27年度予算内訳(単位:百万円)</b>\t<b>費目</b>",
                    "<b>平成26・27年度予算内訳(単位:百万円)</b>\n\t<b>費目</b>")
    assert parse(titled) == parse(text)
    row = _cells(text, "<b>事業開始・終了(予定)年度</b>")
    at = row.index("昭和18年度開始")
    ranged = _replace_line(text, "<b>事業開始・終了(予定)年度</b>",
                           [row[:at] + ["平成20年度~"] + row[at + 1:], [""] * at + ["平成24年度"]])
    project = parse_bytes(ranged.encode(), "v.txt").project
    assert (project["start_fiscal_year"], project["end_fiscal_year"]) == (2008, 2012)


@pytest.mark.parametrize("family, old, new", [
    ("2010", "<b>案件番号</b>\t3", "案件番号 3"),  # a label-less cell
    ("2012-13", "平成24年行政事業レビューシート (総務省)", "事業番号 0185 平成24年行政事業レビューシート (総務省)"),
])
def test_a_project_number_without_its_label_cell(family, old, new):
    text = sheet_text(family)
    lines = [line for line in mutate(text, old, new).split("\n") if "<b>事業番号</b>" not in line]
    assert parse("\n".join(lines)) == parse(text)


@pytest.mark.parametrize("family", ["2010", "2018-19", "2020", "2021-23"])
def test_a_sheet_with_an_empty_first_column_and_no_tags(family):
    """Headings without tags count as headings in the sheet's first column, which is the
    second when every row starts with an empty cell (an empty 備考 heading was read as a
    line of the 所見を踏まえた改善点 text)."""
    text = sheet_text(family)
    untagged = "\n".join("\t" + line if line else line for line in text.replace("<b>", "").replace("</b>", "").split("\n"))
    assert parse(untagged) == parse(text)


def test_circled_numbers_in_a_text_stay_as_printed():
    """NFKC would turn `①…⑵…` into `1…(2)…`: a value keeps the enclosed numbers."""
    edited = mutate(sheet_text("2020"), "民泊に関する相談、", "①民泊に関する相談、⑵")
    overview = parse_sheet(edited).project["overview"]
    assert overview.startswith("①民泊に関する相談、⑵問い合わせ等")


def test_every_category_label_is_stored_under_one_of_the_contract_categories():
    """A category label the parser knows (labels.csv) that the contract's domain check
    would refuse would quarantine every sheet printing it."""
    import csv
    from pathlib import Path

    from transforms.schema import ASSESSMENT_CATEGORIES
    from transforms.sections.assessment import contract_category

    labels_csv = Path(__file__).parents[2] / "transforms" / "labels" / "labels.csv"
    with labels_csv.open(encoding="utf-8") as f:
        labels = [row[2] for row in csv.reader(f) if row[:2] == ["assessment", "category"]]
    assert len(labels) >= 10
    assert {contract_category(label) for label in labels} == set(ASSESSMENT_CATEGORIES)

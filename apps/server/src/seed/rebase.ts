/**
 * Moves a plan's dates by whole months, so the demo's 2022 plan runs now (issue #4: "re-based to the
 * current year so that a live mix of colors appears"). Rewrites 2022年9月20日, 2022年9月, 9月下旬 and a
 * bare 2022年; a bare month takes the shifted month (its year follows the document's shifted date).
 */
const DAY_IN_MONTH = /^(\d{1,2})日/;

function shiftMonth(year: number, month: number, months: number): { year: number; month: number } {
  const total = year * 12 + (month - 1) + months;
  return { year: Math.floor(total / 12), month: (total % 12) + 1 };
}

export function rebasePlanText(text: string, months: number): string {
  return text.replace(
    /(?:(\d{4})年)?(\d{1,2})月|(\d{4})年/g,
    (whole, y: string | undefined, m: string | undefined, bareYear: string | undefined, offset: number) => {
      if (bareYear !== undefined) return `${Number(bareYear) + Math.trunc(months / 12)}年`;
      const month = Number(m);
      if (month < 1 || month > 12) return whole;
      const shifted = shiftMonth(y ? Number(y) : 2000, month, months);
      // 31日 of a shorter month: keep the day only if it exists (the demo's dates are 20日 and ranges).
      const day = DAY_IN_MONTH.exec(text.slice(offset + whole.length));
      if (day && Number(day[1]) > 28) return whole;
      return y ? `${shifted.year}年${shifted.month}月` : `${shifted.month}月`;
    },
  );
}

/**
 * The shift that puts the plan's first month two months before the current one: today then falls in the
 * third month of a four-month phase (动员部署 → 深入推进), about two thirds through — some tasks done,
 * some behind, some past their quarter.
 */
export function monthsToNow(firstYear: number, firstMonth: number, today: string): number {
  const [y, m] = today.split('-').map(Number);
  return y * 12 + (m - 1) - 2 - (firstYear * 12 + (firstMonth - 1));
}

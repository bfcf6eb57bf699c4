/* figure-text.c - the texts of the dashboard's figures in Vietnamese.
 *
 * These strings came from the dashboard (gui/hicov-figures.c) with their
 * English msgids unchanged and the Vietnamese of gui/po/vi.po copied, so
 * the figures read exactly as they did.  The sources mark them N_() /
 * NC_() for extraction; this table stands in for a catalogue until every
 * layer shares one. */
#include <string.h>

#include "chart-private.h"

typedef struct {
  const char *ctx; /* msgctxt or NULL */
  const char *id;
  const char *vi;
} Text;

static const Text texts[] = {
  /* figure titles */
  { NULL, "Coverage over time", "Tỷ lệ bao phủ theo thời gian" },
  { NULL, "Coverage of units below", "Tỷ lệ bao phủ của các đơn vị trực thuộc" },
  { NULL, "Participants by beneficiary group",
    "Người tham gia theo nhóm đối tượng" },
  { NULL, "Chip-ID check-in success",
    "Tỷ lệ tra cứu thành công bằng CCCD gắn chip" },
  { NULL, "Insured visits", "Lượt khám chữa bệnh BHYT" },
  { NULL, "Medical spending", "Chi phí khám chữa bệnh" },
  { NULL, "Cost per visit", "Chi phí bình quân mỗi lượt" },
  { NULL, "Fund revenue and spending", "Thu và chi quỹ BHYT" },
  /* KPI titles */
  { "kpi", "Coverage", "Tỷ lệ bao phủ" },
  { "kpi", "Gap to target", "Khoảng cách tới chỉ tiêu" },
  { "kpi", "Insured visits", "Lượt KCB BHYT" },
  { "kpi", "Medical spending", "Chi phí KCB" },
  { "kpi", "Cost per visit", "Chi phí mỗi lượt" },
  { "kpi", "Fund balance", "Cân đối quỹ" },
  /* beneficiary groups (the core's English names, hicov_group_label) */
  { NULL, "Employees of enterprises", "Người lao động trong doanh nghiệp" },
  { NULL, "Employees of cooperatives", "Người lao động trong hợp tác xã" },
  { NULL, "Employees of state agencies",
    "Người lao động trong cơ quan nhà nước" },
  { NULL, "Employees of foreign organisations",
    "Người lao động trong tổ chức nước ngoài" },
  { NULL, "Employees of other employers",
    "Người lao động của người sử dụng lao động khác" },
  { NULL, "Civil servants", "Cán bộ, công chức, viên chức" },
  { NULL, "Non-specialised commune staff",
    "Người hoạt động không chuyên trách ở xã" },
  { NULL, "Pensioners", "Người hưởng lương hưu" },
  { NULL, "Occupational accident allowance",
    "Người hưởng trợ cấp tai nạn lao động" },
  { NULL, "Long-term sick leave", "Người nghỉ ốm dài ngày" },
  { NULL, "Aged 80+ with survivor allowance",
    "Người từ 80 tuổi hưởng trợ cấp tuất" },
  { NULL, "Retired commune officials", "Cán bộ xã đã nghỉ việc" },
  { NULL, "Unemployment benefit", "Người hưởng trợ cấp thất nghiệp" },
  { NULL, "Retired rubber workers", "Công nhân cao su nghỉ việc" },
  { NULL, "Military", "Quân đội" },
  { NULL, "Police", "Công an" },
  { NULL, "Cipher staff", "Người làm công tác cơ yếu" },
  { NULL, "Retired commune officials (budget)",
    "Cán bộ xã đã nghỉ việc (ngân sách chi trả)" },
  { NULL, "Former loss-of-capacity beneficiaries",
    "Người từng hưởng trợ cấp mất sức lao động" },
  { NULL, "Revolutionary contributors", "Người có công với cách mạng" },
  { NULL, "Persons with revolutionary merit",
    "Người có công với cách mạng khác" },
  { NULL, "Veterans", "Cựu chiến binh" },
  { NULL, "Resistance participants", "Người tham gia kháng chiến" },
  { NULL, "People's deputies", "Đại biểu Hội đồng nhân dân" },
  { NULL, "Children under 6", "Trẻ em dưới 6 tuổi" },
  { NULL, "Social-protection allowance", "Người hưởng trợ cấp bảo trợ xã hội" },
  { NULL, "Poor households", "Hộ nghèo" },
  { NULL, "Ethnic minorities in hardship areas",
    "Người dân tộc thiểu số vùng khó khăn" },
  { NULL, "Extreme-hardship areas", "Người sống ở vùng đặc biệt khó khăn" },
  { NULL, "Island communes", "Người sống ở xã đảo" },
  { NULL, "Relatives of martyrs", "Thân nhân liệt sĩ" },
  { NULL, "Relatives of persons with merit", "Thân nhân người có công" },
  { NULL, "Relatives of military", "Thân nhân quân nhân" },
  { NULL, "Relatives of police", "Thân nhân công an" },
  { NULL, "Relatives of cipher staff", "Thân nhân người làm công tác cơ yếu" },
  { NULL, "Organ donors", "Người hiến bộ phận cơ thể" },
  { NULL, "Foreign scholarship students",
    "Lưu học sinh nước ngoài có học bổng" },
  { NULL, "Carers of persons with merit", "Người phục vụ người có công" },
  { NULL, "Near-poor households", "Hộ cận nghèo" },
  { NULL, "Pupils", "Học sinh" },
  { NULL, "Students", "Sinh viên" },
  { NULL, "Middle-income farming households",
    "Hộ nông, lâm, ngư nghiệp có mức sống trung bình" },
  { NULL, "Household-based participants", "Người tham gia theo hộ gia đình" },
  /* periods */
  { NULL, "January", "Tháng 1" },
  { NULL, "February", "Tháng 2" },
  { NULL, "March", "Tháng 3" },
  { NULL, "April", "Tháng 4" },
  { NULL, "May", "Tháng 5" },
  { NULL, "June", "Tháng 6" },
  { NULL, "July", "Tháng 7" },
  { NULL, "August", "Tháng 8" },
  { NULL, "September", "Tháng 9" },
  { NULL, "October", "Tháng 10" },
  { NULL, "November", "Tháng 11" },
  { NULL, "December", "Tháng 12" },
  { "short month", "Jan", "1" },
  { "short month", "Feb", "2" },
  { "short month", "Mar", "3" },
  { "short month", "Apr", "4" },
  { "short month", "May", "5" },
  { "short month", "Jun", "6" },
  { "short month", "Jul", "7" },
  { "short month", "Aug", "8" },
  { "short month", "Sep", "9" },
  { "short month", "Oct", "10" },
  { "short month", "Nov", "11" },
  { "short month", "Dec", "12" },
  { NULL, "Q%d %d", "Quý %d/%d" },
  { "month and year", "%s %d", "%s/%d" },
  { NULL, "%s\xe2\x80\x93%s %d", "Tháng %s\xe2\x80\x93%s/%d" },
  { NULL, "Q%d/%02d", "Q%d/%02d" },
  /* KPI tiles */
  { NULL, "%s vs %s", "%s so với %s" },
  { NULL, "achieved", "đã đạt" },
  { NULL, "on track", "đúng tiến độ" },
  { NULL, "at risk", "có nguy cơ không đạt" },
  { NULL, "not achieved", "không đạt" },
  { NULL, "unknown", "chưa rõ" },
  { NULL, "%s points vs %s", "%s điểm %% so với %s" },
  { NULL, "%s participants", "%s người tham gia" },
  { NULL, "No target", "Không có chỉ tiêu" },
  { NULL, "No resolution target for this unit",
    "Đơn vị này không có chỉ tiêu nghị quyết" },
  { NULL, "Target %s by %d \xc2\xb7 %s", "Chỉ tiêu %s đến %d \xc2\xb7 %s" },
  { NULL, "Target met", "Đã đạt chỉ tiêu" },
  { NULL, "%s (%s)", "%s (%s)" },
  { NULL, "%s points", "%s điểm %%" },
  { NULL, "%s more people needed (%s)", "cần thêm %s người (%s)" },
  { NULL, "%s inpatient", "%s nội trú" },
  { NULL, "%s paid by the fund", "quỹ chi trả %s" },
  { NULL, "%s of revenue used", "đã sử dụng %s số thu" },
  { NULL, "Revenue %s", "Số thu %s" },
  /* charts */
  { NULL, "No data for this unit and period",
    "Không có dữ liệu cho đơn vị và kỳ này" },
  { NULL, "Other groups", "Nhóm khác" },
  { NULL, "Same months of each year (%s)", "Cùng các tháng của mỗi năm (%s)" },
  { NULL, "Visits", "Lượt khám" },
  { NULL, "visits", "lượt" },
  { NULL, "Total medical cost", "Tổng chi phí khám chữa bệnh" },
  { NULL, "Paid by the fund", "Quỹ BHYT chi trả" },
  { NULL, "Contribution revenue", "Số thu BHYT" },
  { NULL, "No check-in data for this unit",
    "Đơn vị này không có dữ liệu tra cứu" },
  { NULL, "Successful check-ins", "Tra cứu thành công" },
  { NULL, "No participants by group for this unit",
    "Đơn vị này không có số người tham gia theo nhóm" },
  { NULL, "Synthetic split (illustrative figures)",
    "Phân nhóm giả lập (số liệu minh họa)" },
  { NULL, "people", "người" },
  { NULL, "Coverage", "Tỷ lệ bao phủ" },
  { NULL, "Projection", "Dự báo" },
  { NULL, "Deadline %d", "Hạn %d" },
  { NULL, "Target", "Chỉ tiêu" },
  { NULL, "This unit has no units below it",
    "Đơn vị này không có đơn vị trực thuộc" },
  { NULL, "Synthetic communes (demo)", "Xã giả lập (dữ liệu minh họa)" },
};

/* Plural forms: Vietnamese has one. */
static const struct {
  const char *one, *many, *vi;
} plurals[] = {
  { "The %zu lowest of %zu unit", "The %zu lowest of %zu units",
    "%zu đơn vị thấp nhất trong %zu đơn vị" },
};

const char *chart_pgettext(const char *lang, const char *ctx,
                           const char *msgid)
{
  if (!msgid || !hicov_format_is_vi(lang))
    return msgid;
  for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++)
    if (!strcmp(texts[i].id, msgid) &&
        (ctx ? texts[i].ctx && !strcmp(texts[i].ctx, ctx) : !texts[i].ctx))
      return texts[i].vi;
  return msgid;
}

const char *chart_gettext(const char *lang, const char *msgid)
{
  return chart_pgettext(lang, NULL, msgid);
}

const char *chart_ngettext(const char *lang, const char *one,
                           const char *many, unsigned long n)
{
  if (hicov_format_is_vi(lang))
    for (size_t i = 0; i < sizeof plurals / sizeof plurals[0]; i++)
      if (!strcmp(plurals[i].one, one))
        return plurals[i].vi;
  return n == 1 ? one : many;
}

/* A small dataset with numbers worked out by hand (see the comments in
 * test-dataset.c and test-indicators.c). */
#ifndef HICOV_FIXTURE_H
#define HICOV_FIXTURE_H
#include <stdio.h>
#include "hicov-core.h"

/* BOM, CRLF and a quoted name with a comma, as spreadsheets write them. */
static const char fixture_units[] =
  "\xEF\xBB\xBF" "code,name,parent,level,tier,valid_to,successor,valid_from\r\n"
  "P,\"Tỉnh Thử, mẫu\",,province,,,,\r\n"
  "D1,Huyện Một,P,district,,2025-07-01,,\r\n"
  "A,Xã A,D1,commune,,2025-07-01,N,\r\n"
  "B,Xã B,D1,commune,,2025-07-01,N,\r\n"
  "N,Xã Mới,P,commune,,,,2025-07-01\r\n"
  "F1,Trạm y tế xã A,A,facility,commune,,,\r\n"
  "F2,Bệnh viện huyện,D1,facility,district,,,\r\n";

static const char fixture_values[] =
  "unit,period,measure,value,group\n"
  "A,2024,population,1000,\n"
  "A,2024,participants,900,\n"
  "A,2024-06,participants,890,\n"
  "A,2024,participants,500,DN\n"
  "A,2024,participants,400,HN\n"
  "B,2024,population,100,\n"
  "B,2024,participants,6,DN\n"
  "B,2024,participants,4,HN\n"
  "N,2025,population,1150,\n"
  "N,2025,participants,1000,\n"
  "F1,2024-01,visits,100,\n" "F1,2024-02,visits,200,\n" "F1,2024-03,visits,300,\n"
  "F1,2024-04,visits,400,\n" "F1,2024-05,visits,500,\n" "F1,2024-06,visits,600,\n"
  "F1,2024-07,visits,700,\n" "F1,2024-08,visits,800,\n" "F1,2024-09,visits,900,\n"
  "F1,2024-10,visits,1000,\n" "F1,2024-11,visits,1100,\n" "F1,2024-12,visits,1200,\n"
  "F1,2023,visits,7000,\n"
  "F1,2023,total_cost,1200000000,\n"
  "F1,2024,total_cost,1560000000.50,\n"
  "F1,2024,card_checkins,11268,\n"
  "F1,2024,card_checkins_ok,8202,\n"
  "F2,2024,visits,5000,\n"
  "F2,2024-01,visits,400,\n"
  "F2,2024-03,visits,450,\n"
  "F2,2025-01/2025-10,visits,4000,\n"
  "F2,2024,inpatient_visits,500,\n"
  "F2,2024,inpatient_days,3000,\n"
  "P,2024,fund_revenue,2000000000,\n"
  "P,2024,fund_paid,1700000000,\n";

/* The fixture's units, or with values too; NULL (and a message) if the
 * fixture does not load. */
static inline HicovDataset *fixture_load_with(int values)
{
  HicovDataset *ds;
  if (hicov_dataset_new(&ds))
    return NULL;
  if (hicov_dataset_load_units_buffer(ds, "units.csv", fixture_units,
                                      sizeof fixture_units - 1, HICOV_LOAD_STRICT) ||
      (values &&
       hicov_dataset_load_values_buffer(ds, "values.csv", fixture_values,
                                        sizeof fixture_values - 1, HICOV_LOAD_STRICT))) {
    fprintf(stderr, "fixture: %s\n", hicov_dataset_errmsg(ds));
    hicov_dataset_free(ds);
    return NULL;
  }
  return ds;
}

static inline HicovDataset *fixture_load(void) { return fixture_load_with(1); }
static inline HicovDataset *fixture_units_only(void) { return fixture_load_with(0); }
#endif

/* gen-claims.c - deterministic generator of synthetic BHYT claims.
 *
 * Writes the same records as (a) GIAMDINHHS envelopes with base64 XML1
 * inner documents, (b) one plain XML file of TONG_HOP records, (c) CSV with
 * the XML1 field names; plus units.csv/values.csv of the synthetic
 * geography (a dataset for `hicov claims --data`) and intended.json, the
 * totals the generator meant, computed here in integer hundredths of a đồng
 * independently of hicov.
 *
 * Realism: 6 provinces, ~100 districts, 3000 communes, a commune station per
 * commune plus district, provincial and central hospitals; a card-group mix
 * close to the national one with its benefit levels; lognormal costs (a few
 * chronic high-cost patients reach 500 million and 1 billion đồng a year);
 * inpatient stays with days; all twelve settlement months.  Everything is a
 * function of --seed.  No real person: names are drawn from syllables.
 *
 * usage: gen-claims --out DIR [--seed N] [--records N | --mb N]
 *                   [--per-envelope K] [--forms env,plain,csv] [--quirks]
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* ---- random numbers (xoshiro256**) ---- */
static uint64_t rs[4];
static uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
static uint64_t rnd(void)
{
  uint64_t r = rotl(rs[1] * 5, 7) * 9, t = rs[1] << 17;
  rs[2] ^= rs[0];
  rs[3] ^= rs[1];
  rs[1] ^= rs[2];
  rs[0] ^= rs[3];
  rs[2] ^= t;
  rs[3] = rotl(rs[3], 45);
  return r;
}
static void seed(uint64_t s)
{
  for (int i = 0; i < 4; i++) {
    s += 0x9e3779b97f4a7c15ULL;
    uint64_t z = s;
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    rs[i] = z ^ (z >> 31);
  }
}
static double unif(void) { return (double)(rnd() >> 11) / 9007199254740992.0; }
static long below(long n) { return (long)(unif() * (double)n); }
static double normal(void)
{
  double u = unif(), v = unif();
  if (u < 1e-300)
    u = 1e-300;
  return sqrt(-2 * log(u)) * cos(2 * M_PI * v);
}
/* lognormal amount in đồng, rounded to whole hundreds, as centi */
static int64_t lognormal_centi(double median, double sigma)
{
  double v = median * exp(sigma * normal());
  if (v > 5e9)
    v = 5e9;
  return (int64_t)(v / 100 + 0.5) * 100 * 100;
}

/* ---- card groups: code, benefit level, share (per mille) ---- */
static const struct {
  const char *code;
  int level;
  int share;
} groups[] = {
  { "GD", 4, 250 }, { "HS", 4, 140 }, { "TE", 1, 100 }, { "DN", 4, 120 },
  { "DT", 2, 60 },  { "HN", 2, 30 },  { "HT", 3, 35 },  { "BT", 2, 30 },
  { "HC", 4, 40 },  { "CH", 4, 20 },  { "SV", 4, 20 },  { "CN", 3, 15 },
  { "DK", 2, 10 },  { "XK", 4, 10 },  { "CB", 2, 10 },  { "QN", 5, 8 },
  { "GB", 4, 10 },  { "CK", 2, 5 },   { "KC", 2, 5 },   { "TS", 2, 5 },
  { "CA", 5, 4 },   { "CC", 1, 3 },   { "TC", 3, 4 },   { "XB", 4, 5 },
  { "TN", 4, 5 },   { "CT", 4, 3 },   { "NO", 4, 2 },   { "TK", 4, 3 },
  { "HX", 4, 2 },   { "TB", 4, 1 },   { "HD", 4, 1 },   { "MS", 4, 1 },
  { "TQ", 4, 2 },   { "TA", 4, 1 },   { "PV", 3, 1 },   { "CY", 5, 1 },
};
#define N_GROUPS (sizeof groups / sizeof groups[0])
static int group_share_total(void)
{
  int t = 0;
  for (size_t i = 0; i < N_GROUPS; i++)
    t += groups[i].share;
  return t;
}
static int level_rate(int level) { return level == 3 ? 95 : level == 4 ? 80 : 100; }

/* ---- geography ---- */
static const char *prov_code[6] = { "01", "20", "22", "17", "26", "30" };
#define N_PROV 6
#define DIST_PER_PROV 17
#define COMM_PER_DIST 30 /* 6 * 17 * 30 = 3060 communes */
#define N_DIST (N_PROV * DIST_PER_PROV)
#define N_COMM (N_DIST * COMM_PER_DIST)

typedef struct {
  char code[16];
  int tier;     /* 1 commune, 2 district, 3 province, 4 central */
  int commune;  /* index of the commune it stands in */
} Facility;
static Facility *fac;
static int n_fac;
static int station_of[N_COMM], hospital_of[N_DIST], prov_hosp[N_PROV][3], central[2];

static void make_geography(void)
{
  fac = calloc(N_COMM + N_DIST + N_PROV * 3 + 2, sizeof *fac);
  int per_prov[N_PROV] = { 0 };
  for (int c = 0; c < N_COMM; c++) {
    int p = c / (DIST_PER_PROV * COMM_PER_DIST);
    Facility *f = &fac[n_fac];
    snprintf(f->code, sizeof f->code, "%s%03d", prov_code[p], ++per_prov[p]);
    f->tier = 1;
    f->commune = c;
    station_of[c] = n_fac++;
  }
  for (int d = 0; d < N_DIST; d++) {
    int p = d / DIST_PER_PROV;
    Facility *f = &fac[n_fac];
    snprintf(f->code, sizeof f->code, "%s%03d", prov_code[p], ++per_prov[p]);
    f->tier = 2;
    f->commune = d * COMM_PER_DIST; /* the district town */
    hospital_of[d] = n_fac++;
  }
  for (int p = 0; p < N_PROV; p++)
    for (int k = 0; k < 3; k++) {
      Facility *f = &fac[n_fac];
      snprintf(f->code, sizeof f->code, "%s%03d", prov_code[p], ++per_prov[p]);
      f->tier = 3;
      f->commune = p * DIST_PER_PROV * COMM_PER_DIST + k;
      prov_hosp[p][k] = n_fac++;
    }
  for (int k = 0; k < 2; k++) {
    Facility *f = &fac[n_fac];
    snprintf(f->code, sizeof f->code, "%s%03d", prov_code[0], ++per_prov[0]);
    f->tier = 4;
    f->commune = 1 + k;
    central[k] = n_fac++;
  }
}

static void write_units(const char *dir)
{
  char path[1024];
  snprintf(path, sizeof path, "%s/units.csv", dir);
  FILE *f = fopen(path, "w");
  static const char *tiers[] = { "", "commune", "district", "province", "central" };
  fprintf(f, "code,name,parent,level,tier,synthetic\nVN,Synthetic country,,country,,1\n");
  for (int p = 0; p < N_PROV; p++)
    fprintf(f, "%s,Tỉnh %s,VN,province,,1\n", prov_code[p], prov_code[p]);
  for (int d = 0; d < N_DIST; d++)
    fprintf(f, "d%03d,Huyện %d,%s,district,,1\n", d, d, prov_code[d / DIST_PER_PROV]);
  for (int c = 0; c < N_COMM; c++)
    fprintf(f, "c%05d,Xã %d,d%03d,commune,,1\n", c, c, c / COMM_PER_DIST);
  for (int i = 0; i < n_fac; i++)
    fprintf(f, "%s,Cơ sở %s,c%05d,facility,%s,1\n", fac[i].code, fac[i].code,
            fac[i].commune, tiers[fac[i].tier]);
  fclose(f);
  snprintf(path, sizeof path, "%s/values.csv", dir);
  f = fopen(path, "w");
  fprintf(f, "unit,period,measure,value,group,source\n");
  fclose(f);
}

/* ---- patients ---- */
typedef struct {
  int group;
  int commune;
  int chronic; /* a high-cost patient */
  uint64_t si; /* 10-digit social-insurance number */
} Patient;
static Patient *pat;
static long n_pat;

static void make_patients(long n)
{
  n_pat = n;
  pat = calloc((size_t)n, sizeof *pat);
  int tot = group_share_total();
  for (long i = 0; i < n; i++) {
    int r = (int)below(tot), g = 0;
    while (r >= groups[g].share)
      r -= groups[g++].share;
    pat[i].group = g;
    pat[i].commune = (int)below(N_COMM);
    pat[i].chronic = i % 2000 == 7; /* one in each block of 2000 */
    pat[i].si = 1000000000ULL + (uint64_t)i * 7919 % 8999999999ULL;
  }
}

/* ---- output buffers ---- */
typedef struct {
  FILE *f;
  char *b;
  size_t n, cap;
} Out;
static void oflush(Out *o)
{
  if (o->f && o->n)
    fwrite(o->b, 1, o->n, o->f);
  o->n = 0;
}
static void oput(Out *o, const char *s, size_t l)
{
  if (o->n + l > o->cap) {
    oflush(o);
    if (l > o->cap) {
      o->cap = l * 2;
      o->b = realloc(o->b, o->cap);
    }
  }
  memcpy(o->b + o->n, s, l);
  o->n += l;
}
static void oputs(Out *o, const char *s) { oput(o, s, strlen(s)); }

static void b64_put(Out *o, const char *s, size_t n)
{
  static const char a[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  char buf[4];
  const unsigned char *u = (const unsigned char *)s;
  size_t i = 0;
  for (; i + 3 <= n; i += 3) {
    uint32_t v = (uint32_t)u[i] << 16 | (uint32_t)u[i + 1] << 8 | u[i + 2];
    buf[0] = a[v >> 18];
    buf[1] = a[(v >> 12) & 63];
    buf[2] = a[(v >> 6) & 63];
    buf[3] = a[v & 63];
    oput(o, buf, 4);
  }
  if (n - i) {
    uint32_t v = (uint32_t)u[i] << 16 | (n - i == 2 ? (uint32_t)u[i + 1] << 8 : 0);
    buf[0] = a[v >> 18];
    buf[1] = a[(v >> 12) & 63];
    buf[2] = n - i == 2 ? a[(v >> 6) & 63] : '=';
    buf[3] = '=';
    oput(o, buf, 4);
  }
}

/* ---- a record ---- */
#define N_F 40
static const char *fname[N_F] = {
  "MA_LK", "STT", "MA_BN", "HO_TEN", "SO_CCCD", "NGAY_SINH", "GIOI_TINH",
  "MA_QUOCTICH", "MA_DANTOC", "MA_NGHE_NGHIEP", "DIA_CHI", "MATINH_CU_TRU",
  "MAHUYEN_CU_TRU", "MAXA_CU_TRU", "DIEN_THOAI", "MA_THE_BHYT", "MA_DKBD",
  "GT_THE_TU", "GT_THE_DEN", "CHAN_DOAN_RV", "MA_BENH_CHINH", "MA_BENH_KT",
  "MA_DOITUONG_KCB", "NGAY_VAO", "NGAY_RA", "SO_NGAY_DTRI", "KET_QUA_DTRI",
  "MA_LOAI_RV", "T_THUOC", "T_VTYT", "T_TONGCHI_BV", "T_TONGCHI_BH", "T_BNTT",
  "T_BNCCT", "T_BHTT", "NAM_QT", "THANG_QT", "MA_LOAI_KCB", "MA_KHOA", "MA_CSKCB",
};
enum { X_MA_LK, X_STT, X_MA_BN, X_HO_TEN, X_T_TONGCHI_BV = 30, X_T_BNCCT = 33,
       X_THANG_QT = 36, X_MA_THE = 15 };

typedef struct {
  char v[N_F][160];
} Rec;

static const char *syll[] = { "Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ",
  "Đặng", "Bùi", "Văn", "Thị", "Minh", "Hồng", "Lan", "Hùng", "Dũng", "Hà",
  "Thu", "Quang", "Anh", "Tuấn", "Ngọc", "Mai", "Đức", "Thảo" };
static const char *icd[] = { "J02.9", "J18.9", "I10", "E11.9", "K29.7",
  "M54.5", "A09", "J06.9", "N18.5", "C34.9", "O80", "S52.5" };

static void money_str(char *o, int64_t centi)
{
  sprintf(o, "%lld.%02lld", (long long)(centi / 100), (long long)(centi % 100));
}

/* Intended aggregates. */
typedef struct {
  long long read, accepted, rej_malformed, rej_duplicate;
  long long flag_nan, flag_comma, flag_card;
  long long visits, inpatient, days;
  long long total, fund, copay; /* centi */
  long long visits_by_group[N_GROUPS];
  long long visits_by_type[17];
  long long commune_tier_visits;
} Intended;
static Intended want;

/* per patient-key fund sums for the year (keys: SI number, or hashed
 * MA_BN+facility for the 14-character cards) */
typedef struct {
  uint64_t key;
  int64_t fund;
} KeySum;
static KeySum *ks;
static size_t n_ks, cap_ks;
static void key_add(uint64_t key, int64_t fund)
{
  if (n_ks == cap_ks) {
    cap_ks = cap_ks ? cap_ks * 2 : 1 << 16;
    ks = realloc(ks, cap_ks * sizeof *ks);
  }
  ks[n_ks].key = key;
  ks[n_ks].fund = fund;
  n_ks++;
}
static int cmp_ks(const void *a, const void *b)
{
  uint64_t x = ((const KeySum *)a)->key, y = ((const KeySum *)b)->key;
  return x < y ? -1 : x > y;
}

/* Returns 1 for a record hicov should accept, 0 for one it should reject
 * as malformed (-1: as a duplicate). */
static int make_record(long i, int year, int quirks, Rec *r, Rec *prev,
                       int prev_ok)
{
  /* quirk: every 2500th record repeats the previous one (same MA_LK): a
   * duplicate, unless the previous one was itself rejected */
  if (quirks && i % 2500 == 2499 && i > 0) {
    *r = *prev;
    want.read++;
    if (prev_ok == 0) {
      want.rej_malformed++;
      return 0;
    }
    want.rej_duplicate++;
    return -1;
  }
  long pi = (long)((double)n_pat * pow(unif(), 1.6));
  if (pi >= n_pat)
    pi = n_pat - 1;
  if (unif() < 0.012) { /* a visit of a chronic high-cost patient */
    long k = (long)below(n_pat / 2000 + 1);
    for (long j = k * 2000; j < n_pat && j < (k + 1) * 2000; j++)
      if (pat[j].chronic) {
        pi = j;
        break;
      }
  }
  Patient *p = &pat[pi];
  int c = p->commune, d = c / COMM_PER_DIST, pv = d / DIST_PER_PROV;
  double u = unif();
  int fi = u < 0.68 ? station_of[c] : u < 0.9 ? hospital_of[d]
         : u < 0.985 ? prov_hosp[pv][below(3)] : central[below(2)];
  if (p->chronic && u < 0.7)
    fi = prov_hosp[pv][0];
  Facility *f = &fac[fi];
  int type;
  double t = unif();
  if (f->tier == 1)
    type = t < 0.9 ? 1 : t < 0.95 ? 7 : 6;
  else if (f->tier == 2)
    type = t < 0.75 ? 1 : t < 0.9 ? 3 : t < 0.95 ? 2 : t < 0.98 ? 4 : 9;
  else
    type = t < 0.6 ? 1 : t < 0.9 ? 3 : t < 0.95 ? 8 : 4;
  if (p->chronic)
    type = 8;
  int inpatient = type == 3 || type == 4 || type == 6 || type == 9;
  int days = 0;
  if (type == 3)
    days = 1 + (int)(exp(1.5 + 0.6 * normal()));
  else if (type == 4 || type == 6)
    days = 1 + (int)below(3);
  if (days > 120)
    days = 120;
  int64_t total;
  double tier_mult = f->tier == 4 ? 3 : f->tier == 3 ? 1.8 : f->tier == 2 ? 1.2 : 0.8;
  if (p->chronic)
    total = lognormal_centi(8e6, 0.7);
  else if (inpatient)
    total = lognormal_centi(4.5e6 * tier_mult * pow(days > 0 ? days / 5.0 : 0.3, 0.7), 0.9);
  else
    total = lognormal_centi(160e3 * tier_mult, 0.8);
  int64_t bntt = below(5) == 0 ? total / 100 * (int64_t)below(10) : 0;
  bntt -= bntt % 100;
  int64_t bh = total - bntt;
  int rate = level_rate(groups[p->group].level);
  int64_t copay = bh * (100 - rate) / 100;
  int64_t fund = bh - copay;
  int month = 1 + (int)below(12);
  int day = 1 + (int)below(28);

  memset(r, 0, sizeof *r);
  snprintf(r->v[0], 160, "%s-%09ld", f->code, i);
  snprintf(r->v[1], 160, "%ld", i % 1000 + 1);
  snprintf(r->v[2], 160, "BN%08ld", pi);
  snprintf(r->v[3], 160, "%s %s %s", syll[pi % 8], syll[8 + pi % 4],
           syll[12 + (pi / 7) % 12]);
  snprintf(r->v[4], 160, "0%02d%09ld", 1 + (int)(pi % 96), pi);
  snprintf(r->v[5], 160, "%04ld%02ld%02ld0000", 1940 + pi % 84, 1 + pi % 12, 1 + pi % 28);
  snprintf(r->v[6], 160, "%ld", 1 + pi % 2);
  strcpy(r->v[7], "000");
  snprintf(r->v[8], 160, "%02ld", 1 + pi % 54);
  strcpy(r->v[9], "00000");
  snprintf(r->v[10], 160, "Thôn %ld, xã %d, huyện %d", pi % 20, c, d);
  snprintf(r->v[11], 160, "%s", prov_code[pv]);
  snprintf(r->v[12], 160, "%03d", d);
  snprintf(r->v[13], 160, "%05d", c);
  snprintf(r->v[14], 160, "09%08ld", pi);
  snprintf(r->v[15], 160, "%s%d%s%010llu", groups[p->group].code,
           groups[p->group].level, prov_code[pv], (unsigned long long)p->si);
  snprintf(r->v[16], 160, "%s", fac[station_of[c]].code);
  snprintf(r->v[17], 160, "%d0101", year);
  snprintf(r->v[18], 160, "%d1231", year);
  snprintf(r->v[19], 160, "Chẩn đoán %s", icd[pi % 12]);
  snprintf(r->v[20], 160, "%s", icd[(pi + i) % 12]);
  snprintf(r->v[21], 160, "%s;%s", icd[(pi + 3) % 12], icd[(pi + 5) % 12]);
  strcpy(r->v[22], "1.1");
  snprintf(r->v[23], 160, "%d%02d%02d0800", year, month, day);
  int dday = day + (days > 0 ? days - 1 : 0);
  snprintf(r->v[24], 160, "%d%02d%02d1600", year, month, dday > 28 ? 28 : dday);
  snprintf(r->v[25], 160, "%d", days);
  strcpy(r->v[26], "1");
  strcpy(r->v[27], "1");
  money_str(r->v[28], total / 2 - (total / 2) % 100);
  money_str(r->v[29], 0);
  money_str(r->v[30], total);
  money_str(r->v[31], bh);
  money_str(r->v[32], bntt);
  money_str(r->v[33], copay);
  money_str(r->v[34], fund);
  snprintf(r->v[35], 160, "%d", year);
  snprintf(r->v[36], 160, i % 2 ? "%d" : "%02d", month);
  snprintf(r->v[37], 160, "%02d", type);
  snprintf(r->v[38], 160, "K%02d", 1 + (int)(i % 30));
  snprintf(r->v[39], 160, "%s", f->code);

  want.read++;
  uint64_t key = p->si + 1;
  if (quirks && i % 3000 == 2998) {
    strcpy(r->v[X_THANG_QT], "13");
    want.rej_malformed++;
    return 0;
  }
  if (quirks && i % 1000 == 997) {
    strcpy(r->v[X_T_BNCCT], "NaN");
    copay = 0;
    want.flag_nan++;
  }
  if (quirks && i % 1500 == 1499) {
    char *dot = strchr(r->v[X_T_TONGCHI_BV], '.');
    *dot = ',';
    want.flag_comma++;
  }
  if (quirks && i % 2000 == 1998) {
    r->v[X_MA_THE][14] = 0; /* 14 characters */
    want.flag_card++;
    /* hicov counts this patient by MA_BN + facility */
    char kb[200];
    snprintf(kb, sizeof kb, "%s\x1f%s", r->v[2], f->code);
    uint64_t h = 1469598103934665603ULL;
    for (char *q = kb; *q; q++)
      h = (h ^ (unsigned char)*q) * 1099511628211ULL;
    key = h | 1ULL << 63;
  }
  want.accepted++;
  want.visits++;
  want.inpatient += inpatient;
  want.days += inpatient ? days : 0;
  want.total += total;
  want.fund += fund;
  want.copay += copay;
  want.visits_by_group[p->group]++;
  want.visits_by_type[type]++;
  want.commune_tier_visits += f->tier == 1;
  key_add(key, fund);
  return 1;
}

/* ---- writers ---- */
static void xml_record(Out *o, const Rec *r, int decl)
{
  if (decl)
    oputs(o, "<?xml version=\"1.0\" encoding=\"utf-8\"?>");
  oputs(o, "<TONG_HOP>");
  for (int k = 0; k < N_F; k++) {
    oputs(o, "<");
    oputs(o, fname[k]);
    oputs(o, ">");
    oputs(o, r->v[k]);
    oputs(o, "</");
    oputs(o, fname[k]);
    oputs(o, ">");
  }
  oputs(o, "</TONG_HOP>");
}

static void csv_record(Out *o, const Rec *r)
{
  for (int k = 0; k < N_F; k++) {
    if (k)
      oputs(o, ",");
    const char *v = r->v[k];
    if (strpbrk(v, ",\"\n")) {
      oputs(o, "\"");
      for (const char *q = v; *q; q++) {
        if (*q == '"')
          oput(o, "\"", 1); /* doubled */
        oput(o, q, 1);
      }
      oputs(o, "\"");
    } else {
      oputs(o, v);
    }
  }
  oputs(o, "\n");
}

int main(int argc, char **argv)
{
  const char *out = NULL, *forms = "env,plain,csv";
  uint64_t sd = 1;
  long records = 10000, per_env = 100;
  double mb = 0;
  int quirks = 0, year = 2024;
  for (int i = 1; i < argc; i++) {
    if (!strcmp(argv[i], "--out") && i + 1 < argc) out = argv[++i];
    else if (!strcmp(argv[i], "--seed") && i + 1 < argc) sd = strtoull(argv[++i], NULL, 10);
    else if (!strcmp(argv[i], "--records") && i + 1 < argc) records = atol(argv[++i]);
    else if (!strcmp(argv[i], "--mb") && i + 1 < argc) mb = atof(argv[++i]);
    else if (!strcmp(argv[i], "--per-envelope") && i + 1 < argc) per_env = atol(argv[++i]);
    else if (!strcmp(argv[i], "--forms") && i + 1 < argc) forms = argv[++i];
    else if (!strcmp(argv[i], "--quirks")) quirks = 1;
    else {
      fprintf(stderr, "usage: gen-claims --out DIR [--seed N] [--records N | --mb N] "
              "[--per-envelope K] [--forms env,plain,csv] [--quirks]\n");
      return 2;
    }
  }
  if (!out || per_env < 1)
    return 2;
  if (mb > 0)
    records = (long)(mb * 1e6 / 1250); /* plain XML bytes per record */
  seed(sd);
  mkdir(out, 0755);
  make_geography();
  write_units(out);
  make_patients(records / 3 + 10);

  char path[1200];
  Out plain = { 0 }, csv = { 0 }, env = { 0 };
  plain.cap = csv.cap = env.cap = 1 << 20;
  plain.b = malloc(plain.cap);
  csv.b = malloc(csv.cap);
  env.b = malloc(env.cap);
  int do_plain = !!strstr(forms, "plain"), do_csv = !!strstr(forms, "csv"),
      do_env = !!strstr(forms, "env");
  if (do_plain) {
    snprintf(path, sizeof path, "%s/plain.xml", out);
    plain.f = fopen(path, "wb");
    oputs(&plain, "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<DSACH_TONG_HOP>\n");
  }
  if (do_csv) {
    snprintf(path, sizeof path, "%s/claims.csv", out);
    csv.f = fopen(path, "wb");
    for (int k = 0; k < N_F; k++) {
      if (k)
        oputs(&csv, ",");
      oputs(&csv, fname[k]);
    }
    oputs(&csv, "\n");
  }
  if (do_env) {
    snprintf(path, sizeof path, "%s/env", out);
    mkdir(path, 0755);
  }
  Rec *r = malloc(sizeof *r), *prev = calloc(1, sizeof *prev);
  int prev_ok = 1;
  Out inner = { 0 };
  inner.cap = 1 << 16;
  inner.b = malloc(inner.cap);
  long env_no = 0, in_env = 0;
  for (long i = 0; i < records; i++) {
    prev_ok = make_record(i, year, quirks, r, prev, prev_ok);
    if (do_plain) {
      xml_record(&plain, r, 0);
      oputs(&plain, "\n");
    }
    if (do_csv)
      csv_record(&csv, r);
    if (do_env) {
      if (in_env == 0) {
        long n = records - i < per_env ? records - i : per_env;
        snprintf(path, sizeof path, "%s/env/%06ld.xml", out, env_no++);
        env.f = fopen(path, "wb");
        char head[512];
        snprintf(head, sizeof head, "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
                 "<GIAMDINHHS xmlns:xsd=\"http://www.w3.org/2001/XMLSchema\" "
                 "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\">"
                 "<THONGTINDONVI><MACSKCB>%s</MACSKCB></THONGTINDONVI><THONGTINHOSO>"
                 "<NGAYLAP>%d1231</NGAYLAP><SOLUONGHOSO>%ld</SOLUONGHOSO>"
                 "<DANHSACHHOSO>", r->v[39], year, n);
        oputs(&env, head);
      }
      inner.n = 0;
      xml_record(&inner, r, i % 5 == 0);
      oputs(&env, "<HOSO><FILEHOSO><LOAIHOSO>XML1</LOAIHOSO><NOIDUNGFILE>");
      b64_put(&env, inner.b, inner.n);
      oputs(&env, "</NOIDUNGFILE></FILEHOSO></HOSO>");
      if (++in_env == per_env || i == records - 1) {
        oputs(&env, "</DANHSACHHOSO></THONGTINHOSO><CHUKYDONVI/></GIAMDINHHS>\n");
        oflush(&env);
        fclose(env.f);
        env.f = NULL;
        in_env = 0;
      }
    }
    Rec *t = prev;
    prev = r;
    r = t;
  }
  if (do_plain) {
    oputs(&plain, "</DSACH_TONG_HOP>\n");
    oflush(&plain);
    fclose(plain.f);
  }
  if (do_csv) {
    oflush(&csv);
    fclose(csv.f);
  }
  /* distinct patients and thresholds over the year */
  qsort(ks, n_ks, sizeof *ks, cmp_ks);
  long long patients = 0, p500 = 0, p1b = 0;
  for (size_t i = 0; i < n_ks;) {
    size_t j = i;
    int64_t sum = 0;
    while (j < n_ks && ks[j].key == ks[i].key)
      sum += ks[j++].fund;
    patients++;
    p500 += sum >= 50000000000LL;
    p1b += sum >= 100000000000LL;
    i = j;
  }
  snprintf(path, sizeof path, "%s/intended.json", out);
  FILE *jf = fopen(path, "w");
  fprintf(jf, "{\n  \"seed\": %llu,\n  \"year\": %d,\n  \"records_read\": %lld,\n"
          "  \"accepted\": %lld,\n  \"rejected\": %lld,\n  \"rejected_malformed\": %lld,\n"
          "  \"rejected_duplicate\": %lld,\n  \"flag_amount_nan\": %lld,\n"
          "  \"flag_amount_comma\": %lld,\n  \"flag_card_malformed\": %lld,\n"
          "  \"visits\": %lld,\n  \"inpatient_visits\": %lld,\n  \"inpatient_days\": %lld,\n"
          "  \"total_cost_centi\": %lld,\n  \"fund_paid_centi\": %lld,\n  \"copay_centi\": %lld,\n"
          "  \"patients\": %lld,\n  \"patients_500m\": %lld,\n  \"patients_1b\": %lld,\n"
          "  \"facilities\": %d,\n  \"communes\": %d,\n  \"commune_tier_visits\": %lld,\n"
          "  \"visits_by_group\": {",
          (unsigned long long)sd, year, want.read, want.accepted,
          want.rej_malformed + want.rej_duplicate, want.rej_malformed,
          want.rej_duplicate, want.flag_nan, want.flag_comma, want.flag_card,
          want.visits, want.inpatient, want.days, want.total, want.fund, want.copay,
          patients, p500, p1b, n_fac, N_COMM, want.commune_tier_visits);
  int first = 1;
  for (size_t g = 0; g < N_GROUPS; g++)
    if (want.visits_by_group[g]) {
      fprintf(jf, "%s\"%s\": %lld", first ? "" : ", ", groups[g].code,
              want.visits_by_group[g]);
      first = 0;
    }
  fprintf(jf, "},\n  \"visits_by_type\": {");
  first = 1;
  for (int t = 1; t <= 16; t++)
    if (want.visits_by_type[t]) {
      fprintf(jf, "%s\"%02d\": %lld", first ? "" : ", ", t, want.visits_by_type[t]);
      first = 0;
    }
  fprintf(jf, "}\n}\n");
  fclose(jf);
  free(r);
  free(prev);
  free(inner.b);
  free(plain.b);
  free(csv.b);
  free(env.b);
  free(ks);
  free(pat);
  free(fac);
  return 0;
}

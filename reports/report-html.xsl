<?xml version="1.0" encoding="UTF-8"?>
<!-- report-html.xsl - turns a hicov report (report.xsd) into a standalone
     HTML page, readable in a browser and printable on A4, or (fragment)
     into one element whose styles stay inside it, for a notebook.  Labels follow
     the report's lang attribute (vi or en); numbers are written the way
     that language writes them (vi: 94,1% and 31.700; en: 94.1% and 31,700).
     Applied with libxslt by hicov_report_html; xsltproc works too.
     It reads nothing but the report: no document(), no external files. -->
<xsl:stylesheet version="1.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:r="urn:hicov:report:1"
    exclude-result-prefixes="r">

  <xsl:output method="html" encoding="UTF-8" indent="yes"
              doctype-system="about:legacy-compat"/>

  <xsl:decimal-format name="vi" decimal-separator="," grouping-separator="."
                      NaN="–"/>
  <xsl:decimal-format name="en" decimal-separator="." grouping-separator=","
                      NaN="–"/>

  <!-- true(): the report alone, one <div class="hicov-report"> holding
       its own scoped styles, for a notebook (hicov_report_html_fragment). -->
  <xsl:param name="fragment" select="false()"/>

  <xsl:variable name="lang" select="/r:report/@lang"/>
  <xsl:variable name="vi" select="$lang = 'vi'"/>

  <!-- Labels in both languages: one named template, one key each. -->
  <xsl:template name="t">
    <xsl:param name="k"/>
    <xsl:choose>
      <xsl:when test="$k = 'title'"><xsl:choose><xsl:when test="$vi">Báo cáo kết quả thực hiện chỉ tiêu bảo hiểm y tế</xsl:when><xsl:otherwise>Report on the health-insurance targets</xsl:otherwise></xsl:choose></xsl:when>
      <xsl:when test="$k = 'estimate'"><xsl:choose><xsl:when test="$vi">ước tính</xsl:when><xsl:otherwise>estimate</xsl:otherwise></xsl:choose></xsl:when>
      <xsl:when test="$k = 'issued_by'"><xsl:choose><xsl:when test="$vi">Cơ quan ban hành</xsl:when><xsl:otherwise>Issued by</xsl:otherwise></xsl:choose></xsl:when>
      <xsl:when test="$k = 'number'"><xsl:choose><xsl:when test="$vi">Số hiệu</xsl:when><xsl:otherwise>Number</xsl:otherwise></xsl:choose></xsl:when>
      <xsl:when test="$k = 'term'"><xsl:choose><xsl:when test="$vi">Nhiệm kỳ</xsl:when><xsl:otherwise>Term</xsl:otherwise></xsl:choose></xsl:when>
      <xsl:when test="$k = 'subject'"><xsl:choose><xsl:when test="$vi">Địa bàn</xsl:when><xsl:otherwise>Area</xsl:otherwise></xsl:choose></xsl:when>
      <xsl:when test="$k = 'data'"><xsl:choose><xsl:when test="$vi">Số liệu</xsl:when><xsl:otherwise>Data</xsl:otherwise></xsl:choose></xsl:when>
      <xsl:when test="$k = 'generated'"><xsl:choose><xsl:when test="$vi">Lập lúc</xsl:when><xsl:otherwise>Generated</xsl:otherwise></xsl:choose></xsl:when>
      <xsl:when test="$k = 'summary'"><xsl:choose><xsl:when test="$vi">Tóm tắt</xsl:when><xsl:otherwise>Summary</xsl:otherwise></xsl:choose></xsl:when>
      <xsl:when test="$k = 'targets'"><xsl:choose><xsl:when test="$vi">Các chỉ tiêu và mức độ thực hiện</xsl:when><xsl:otherwise>Targets and progress</xsl:otherwise></xsl:choose></xsl:when>
      <xsl:when test="$k = 'target'"><xsl:choose><xsl:when test="$vi">Chỉ tiêu</xsl:when><xsl:otherwise>Target</xsl:otherwise></xsl:choose></xsl:when>
      <xsl:when test="$k = 'unit'"><xsl:choose><xsl:when test="$vi">Đơn vị</xsl:when><xsl:otherwise>Unit</xsl:otherwise></xsl:choose></xsl:when>
      <xsl:when test="$k = 'threshold'"><xsl:choose><xsl:when test="$vi">Chỉ tiêu</xsl:when><xsl:otherwise>Target value</xsl:otherwise></xsl:choose></xsl:when>
      <xsl:when test="$k = 'deadline'"><xsl:choose><xsl:when test="$vi">Năm đạt</xsl:when><xsl:otherwise>By</xsl:otherwise></xsl:choose></xsl:when>
      <xsl:when test="$k = 'baseline'"><xsl:choose><xsl:when test="$vi">Năm gốc</xsl:when><xsl:otherwise>Baseline</xsl:otherwise></xsl:choose></xsl:when>
      <xsl:when test="$k = 'latest'"><xsl:choose><xsl:when test="$vi">Mới nhất</xsl:when><xsl:otherwise>Latest</xsl:otherwise></xsl:choose></xsl:when>
      <xsl:when test="$k = 'gap'"><xsl:choose><xsl:when test="$vi">Còn thiếu</xsl:when><xsl:otherwise>Gap</xsl:otherwise></xsl:choose></xsl:when>
      <xsl:when test="$k = 'needed'"><xsl:choose><xsl:when test="$vi">Số người cần thêm</xsl:when><xsl:otherwise>People still needed</xsl:otherwise></xsl:choose></xsl:when>
      <xsl:when test="$k = 'required'"><xsl:choose><xsl:when test="$vi">Mức tăng cần/năm</xsl:when><xsl:otherwise>Needed per year</xsl:otherwise></xsl:choose></xsl:when>
      <xsl:when test="$k = 'projection'"><xsl:choose><xsl:when test="$vi">Dự báo đến hạn</xsl:when><xsl:otherwise>Projected by deadline</xsl:otherwise></xsl:choose></xsl:when>
      <xsl:when test="$k = 'status'"><xsl:choose><xsl:when test="$vi">Đánh giá</xsl:when><xsl:otherwise>Status</xsl:otherwise></xsl:choose></xsl:when>
      <xsl:when test="$k = 'assessment'"><xsl:choose><xsl:when test="$vi">Nhận định</xsl:when><xsl:otherwise>Assessment</xsl:otherwise></xsl:choose></xsl:when>
      <xsl:when test="$k = 'tables'"><xsl:choose><xsl:when test="$vi">Số liệu chi tiết</xsl:when><xsl:otherwise>Tables</xsl:otherwise></xsl:choose></xsl:when>
      <xsl:when test="$k = 'findings'"><xsl:choose><xsl:when test="$vi">Chất lượng số liệu</xsl:when><xsl:otherwise>Data quality</xsl:otherwise></xsl:choose></xsl:when>
      <xsl:when test="$k = 'no_findings'"><xsl:choose><xsl:when test="$vi">Các kiểm tra chất lượng số liệu không phát hiện vấn đề.</xsl:when><xsl:otherwise>The data-quality checks found no problem.</xsl:otherwise></xsl:choose></xsl:when>
      <xsl:when test="$k = 'n_findings'"><xsl:choose><xsl:when test="$vi">Số phát hiện</xsl:when><xsl:otherwise>Findings</xsl:otherwise></xsl:choose></xsl:when>
      <xsl:when test="$k = 'severity'"><xsl:choose><xsl:when test="$vi">Mức độ</xsl:when><xsl:otherwise>Severity</xsl:otherwise></xsl:choose></xsl:when>
      <xsl:when test="$k = 'where'"><xsl:choose><xsl:when test="$vi">Đơn vị, chỉ số, kỳ</xsl:when><xsl:otherwise>Unit, measure, period</xsl:otherwise></xsl:choose></xsl:when>
      <xsl:when test="$k = 'message'"><xsl:choose><xsl:when test="$vi">Nội dung</xsl:when><xsl:otherwise>Message</xsl:otherwise></xsl:choose></xsl:when>
      <xsl:when test="$k = 'warning'"><xsl:choose><xsl:when test="$vi">Cảnh báo</xsl:when><xsl:otherwise>Warning</xsl:otherwise></xsl:choose></xsl:when>
      <xsl:when test="$k = 'error'"><xsl:choose><xsl:when test="$vi">Lỗi</xsl:when><xsl:otherwise>Error</xsl:otherwise></xsl:choose></xsl:when>
      <xsl:when test="$k = 'provenance'"><xsl:choose><xsl:when test="$vi">Nguồn gốc số liệu</xsl:when><xsl:otherwise>Provenance</xsl:otherwise></xsl:choose></xsl:when>
      <xsl:when test="$k = 'source'"><xsl:choose><xsl:when test="$vi">Nguồn</xsl:when><xsl:otherwise>Source</xsl:otherwise></xsl:choose></xsl:when>
      <xsl:when test="$k = 'file'"><xsl:choose><xsl:when test="$vi">Tệp</xsl:when><xsl:otherwise>File</xsl:otherwise></xsl:choose></xsl:when>
      <xsl:when test="$k = 'role'"><xsl:choose><xsl:when test="$vi">Vai trò</xsl:when><xsl:otherwise>Role</xsl:otherwise></xsl:choose></xsl:when>
      <xsl:when test="$k = 'bytes'"><xsl:choose><xsl:when test="$vi">Dung lượng (byte)</xsl:when><xsl:otherwise>Bytes</xsl:otherwise></xsl:choose></xsl:when>
      <xsl:when test="$k = 'version'"><xsl:choose><xsl:when test="$vi">Phiên bản hicov</xsl:when><xsl:otherwise>hicov version</xsl:otherwise></xsl:choose></xsl:when>
      <xsl:when test="$k = 'fit'"><xsl:choose><xsl:when test="$vi">Cách dự báo</xsl:when><xsl:otherwise>Projection method</xsl:otherwise></xsl:choose></xsl:when>
      <xsl:when test="$k = 'fit_text'"><xsl:choose><xsl:when test="$vi">Dự báo theo xu hướng của các năm</xsl:when><xsl:otherwise>Projected from the trend of the years</xsl:otherwise></xsl:choose></xsl:when>
      <xsl:when test="$k = 'points_unit'"><xsl:choose><xsl:when test="$vi">điểm %</xsl:when><xsl:otherwise>points</xsl:otherwise></xsl:choose></xsl:when>
      <xsl:when test="$k = 'billion'"><xsl:choose><xsl:when test="$vi">tỷ đồng</xsl:when><xsl:otherwise>billion VND</xsl:otherwise></xsl:choose></xsl:when>
      <xsl:when test="$k = 'dong'"><xsl:choose><xsl:when test="$vi">đồng</xsl:when><xsl:otherwise>VND</xsl:otherwise></xsl:choose></xsl:when>
      <xsl:when test="$k = 'period'"><xsl:choose><xsl:when test="$vi">Năm</xsl:when><xsl:otherwise>Year</xsl:otherwise></xsl:choose></xsl:when>
      <xsl:when test="$k = 'total'"><xsl:choose><xsl:when test="$vi">Tổng</xsl:when><xsl:otherwise>Total</xsl:otherwise></xsl:choose></xsl:when>
      <xsl:when test="$k = 'missing'"><xsl:choose><xsl:when test="$vi">không có số liệu</xsl:when><xsl:otherwise>no data</xsl:otherwise></xsl:choose></xsl:when>
      <xsl:when test="$k = 'reached'"><xsl:choose><xsl:when test="$vi">đạt chỉ tiêu vào khoảng năm</xsl:when><xsl:otherwise>reaches the target around</xsl:otherwise></xsl:choose></xsl:when>
      <xsl:when test="$k = 'at_least'"><xsl:choose><xsl:when test="$vi">tối thiểu</xsl:when><xsl:otherwise>at least</xsl:otherwise></xsl:choose></xsl:when>
      <xsl:when test="$k = 'at_most'"><xsl:choose><xsl:when test="$vi">tối đa</xsl:when><xsl:otherwise>at most</xsl:otherwise></xsl:choose></xsl:when>
      <xsl:when test="$k = 'all_units'"><xsl:choose><xsl:when test="$vi">mọi đơn vị cấp</xsl:when><xsl:otherwise>every unit of level</xsl:otherwise></xsl:choose></xsl:when>
      <xsl:when test="$k = 'boundaries'"><xsl:choose><xsl:when test="$vi">Địa giới hành chính</xsl:when><xsl:otherwise>Boundaries</xsl:otherwise></xsl:choose></xsl:when>
      <xsl:when test="$k = 'crosswalk_estimate'"><xsl:choose><xsl:when test="$vi">ước tính: một phần số liệu được phân bổ từ đơn vị bị chia tách theo tỷ lệ (crosswalk.csv)</xsl:when><xsl:otherwise>estimate: part of the figure is apportioned from a divided unit by its share (crosswalk.csv)</xsl:otherwise></xsl:choose></xsl:when>
      <xsl:when test="$k = 'footer'"><xsl:choose><xsl:when test="$vi">Báo cáo do hicov lập tự động từ số liệu; mọi con số được tính từ các tệp đầu vào ghi ở mục Nguồn gốc số liệu.</xsl:when><xsl:otherwise>Generated by hicov from the data; every number is computed from the inputs listed under Provenance.</xsl:otherwise></xsl:choose></xsl:when>
      <xsl:when test="$k = 'resolution_of'"><xsl:choose><xsl:when test="$vi">Nghị quyết của</xsl:when><xsl:otherwise>Resolution of</xsl:otherwise></xsl:choose></xsl:when>
      <xsl:when test="$k = 'issuer'"><xsl:choose><xsl:when test="$vi">Cơ quan báo cáo</xsl:when><xsl:otherwise>Reporting agency</xsl:otherwise></xsl:choose></xsl:when>
      <xsl:when test="$k = 'report_no'"><xsl:choose><xsl:when test="$vi">Số</xsl:when><xsl:otherwise>No.</xsl:otherwise></xsl:choose></xsl:when>
      <xsl:when test="$k = 'date'"><xsl:choose><xsl:when test="$vi">Ngày</xsl:when><xsl:otherwise>Date</xsl:otherwise></xsl:choose></xsl:when>
      <xsl:when test="$k = 'report_type'"><xsl:choose><xsl:when test="$vi">BÁO CÁO</xsl:when><xsl:otherwise>REPORT</xsl:otherwise></xsl:choose></xsl:when>
      <xsl:when test="$k = 'charts'"><xsl:choose><xsl:when test="$vi">Biểu đồ</xsl:when><xsl:otherwise>Charts</xsl:otherwise></xsl:choose></xsl:when>
      <xsl:when test="$k = 'no_charts'"><xsl:choose><xsl:when test="$vi">Biểu đồ chưa được vẽ cho bản này (vẽ bằng hicov_report_draw_figures hoặc lệnh hicov report).</xsl:when><xsl:otherwise>The charts were not drawn for this copy (hicov_report_draw_figures, or the hicov report command, draws them).</xsl:otherwise></xsl:choose></xsl:when>
      <xsl:when test="$k = 'synthetic_note'"><xsl:choose><xsl:when test="$vi">* Đơn vị giả lập: số liệu tổng hợp để minh họa, không phải số liệu thống kê thật.</xsl:when><xsl:otherwise>* Synthetic unit: figures made up for illustration, not real statistics.</xsl:otherwise></xsl:choose></xsl:when>
      <xsl:when test="$k = 'estimate_note'"><xsl:choose><xsl:when test="$vi">Số liệu ước tính được ghi rõ “ước tính”; kết luận dựa trên số liệu ước tính ghi “ước đạt”, “ước không đạt”.</xsl:when><xsl:otherwise>Estimated figures are marked “estimate”; a verdict on one reads “estimated achieved” or “estimated not achieved”.</xsl:otherwise></xsl:choose></xsl:when>
      <xsl:when test="$k = 'details'"><xsl:choose><xsl:when test="$vi">Danh sách đầy đủ các phát hiện</xsl:when><xsl:otherwise>Every finding</xsl:otherwise></xsl:choose></xsl:when>
      <xsl:otherwise><xsl:value-of select="$k"/></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- A number with the language's decimal mark and grouping. -->
  <xsl:template name="num">
    <xsl:param name="v"/>
    <xsl:param name="p" select="'#,##0.0'"/>
    <xsl:choose>
      <xsl:when test="string($v) = '' or string(number($v)) = 'NaN'">–</xsl:when>
      <xsl:when test="$vi">
        <xsl:value-of select="format-number($v, translate($p, ',.', '.,'), 'vi')"/>
      </xsl:when>
      <xsl:otherwise><xsl:value-of select="format-number($v, $p, 'en')"/></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- A value in an indicator's unit. -->
  <xsl:template name="value">
    <xsl:param name="v"/>
    <xsl:param name="unit"/>
    <xsl:param name="billions" select="false()"/>
    <xsl:choose>
      <xsl:when test="string($v) = ''">–</xsl:when>
      <xsl:when test="$unit = '%'">
        <xsl:call-template name="num"><xsl:with-param name="v" select="$v"/></xsl:call-template>%</xsl:when>
      <xsl:when test="$unit = 'VND' and $billions">
        <xsl:call-template name="num"><xsl:with-param name="v" select="$v div 1000000000"/></xsl:call-template>
      </xsl:when>
      <xsl:when test="$unit = 'VND' or $unit = 'people' or $unit = 'visits' or $unit = 'check-ins'">
        <xsl:call-template name="num"><xsl:with-param name="v" select="$v"/><xsl:with-param name="p" select="'#,##0'"/></xsl:call-template>
      </xsl:when>
      <xsl:otherwise>
        <xsl:call-template name="num"><xsl:with-param name="v" select="$v"/><xsl:with-param name="p" select="'#,##0.0#'"/></xsl:call-template>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <xsl:template match="/r:report">
    <xsl:choose>
      <xsl:when test="$fragment"><xsl:call-template name="root"/></xsl:when>
      <xsl:otherwise><xsl:call-template name="page"/></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- A standalone page: the root element in a body, printable on A4. -->
  <xsl:template name="page">
    <html lang="{$lang}">
      <head>
        <meta charset="UTF-8"/>
        <meta name="viewport" content="width=device-width, initial-scale=1"/>
        <meta name="generator" content="hicov {r:provenance/@hicov-version}"/>
        <title>
          <xsl:call-template name="t"><xsl:with-param name="k" select="'title'"/></xsl:call-template>
          <xsl:text> – </xsl:text><xsl:value-of select="r:subject/@name"/>
          <xsl:text> – </xsl:text><xsl:value-of select="r:resolution/r:number"/>
        </title>
        <style>
@page { size: A4; margin: 18mm 16mm 20mm 16mm; }
body { margin: 0; }
<xsl:call-template name="css"/>
        </style>
      </head>
      <body>
        <xsl:call-template name="root"/>
      </body>
    </html>
  </xsl:template>

  <!-- The report itself, in one element: its styles (the "css" template)
       reach nothing outside it, so a notebook can show it inline. -->
  <xsl:template name="root">
    <div class="hicov-report" lang="{$lang}">
        <xsl:if test="$fragment"><style><xsl:call-template name="css"/></style></xsl:if>
        <header>
          <xsl:variable name="doc" select="r:document"/>
          <xsl:if test="$doc/r:issuer/@agency">
            <div class="kicker">
              <xsl:if test="$doc/r:issuer/@parent-agency"><xsl:value-of select="$doc/r:issuer/@parent-agency"/><xsl:text> · </xsl:text></xsl:if>
              <strong><xsl:value-of select="$doc/r:issuer/@agency"/></strong>
              <xsl:if test="$doc/r:issuer/@number"><xsl:text> · </xsl:text><xsl:call-template name="t"><xsl:with-param name="k" select="'report_no'"/></xsl:call-template>: <xsl:value-of select="$doc/r:issuer/@number"/></xsl:if>
            </div>
          </xsl:if>
          <p class="muted"><em><xsl:value-of select="$doc/r:place-date[@lang = $lang]"/></em></p>
          <div class="kicker"><xsl:call-template name="t"><xsl:with-param name="k" select="'report_type'"/></xsl:call-template></div>
          <h1><xsl:value-of select="$doc/r:summary[@lang = $lang]"/></h1>
          <p>
            <strong><xsl:value-of select="r:resolution/r:number"/></strong>
            <xsl:if test="r:resolution/r:title">
              <xsl:text>: </xsl:text><xsl:value-of select="r:resolution/r:title"/>
            </xsl:if>
          </p>
          <dl class="meta">
            <dt><xsl:call-template name="t"><xsl:with-param name="k" select="'resolution_of'"/></xsl:call-template></dt>
            <dd><xsl:value-of select="r:resolution/r:body"/></dd>
            <dt><xsl:call-template name="t"><xsl:with-param name="k" select="'term'"/></xsl:call-template></dt>
            <dd><xsl:value-of select="r:resolution/r:term/@start"/>–<xsl:value-of select="r:resolution/r:term/@end"/></dd>
            <dt><xsl:call-template name="t"><xsl:with-param name="k" select="'subject'"/></xsl:call-template></dt>
            <dd><xsl:value-of select="r:subject/@name"/> (<xsl:value-of select="r:subject/@unit"/>)</dd>
            <xsl:if test="@data-first">
              <dt><xsl:call-template name="t"><xsl:with-param name="k" select="'data'"/></xsl:call-template></dt>
              <dd><xsl:value-of select="@data-first"/>–<xsl:value-of select="@data-last"/></dd>
            </xsl:if>
            <dt><xsl:call-template name="t"><xsl:with-param name="k" select="'generated'"/></xsl:call-template></dt>
            <dd><xsl:value-of select="translate(r:provenance/@generated, 'TZ', ' ')"/> UTC</dd>
          </dl>
        </header>

        <section>
          <h2><xsl:call-template name="t"><xsl:with-param name="k" select="'summary'"/></xsl:call-template></h2>
          <table>
            <tbody>
              <xsl:for-each select="r:assessments/r:target">
                <tr>
                  <td><xsl:value-of select="r:text[@lang = $lang]"/></td>
                  <td><xsl:value-of select="r:headline[@lang = $lang]"/></td>
                  <td><span class="status {@status}"><xsl:value-of select="@status-label"/></span></td>
                </tr>
              </xsl:for-each>
            </tbody>
          </table>
          <xsl:for-each select="r:assessments/r:target">
            <xsl:variable name="i" select="@target"/>
            <xsl:variable name="tg" select="/r:report/r:resolution/r:target[@index = $i]"/>
            <h3><xsl:value-of select="$i"/>. <xsl:value-of select="r:text[@lang = $lang]"/></h3>
            <xsl:if test="$tg/r:label"><p class="muted"><xsl:value-of select="$tg/r:label"/></p></xsl:if>
            <xsl:for-each select="/r:report/r:figures/r:figure[@target = $i]">
              <figure>
                <img src="data:image/png;base64,{translate(., '&#10;&#13;&#9; ', '')}" alt="{@title}" width="{round(@width div 2)}"/>
                <figcaption class="muted small"><xsl:value-of select="@title"/></figcaption>
              </figure>
            </xsl:for-each>
            <xsl:choose>
              <xsl:when test="r:statement">
                <div class="statement">
                  <span class="who"><xsl:value-of select="$tg/r:label"/><xsl:if test="not($tg/r:label)"><xsl:value-of select="$tg/@indicator-label"/></xsl:if>: </span>
                  <xsl:value-of select="r:statement[@lang = $lang]"/>
                </div>
              </xsl:when>
              <xsl:otherwise>
                <xsl:for-each select="r:assessment">
                  <div class="statement {@status}">
                    <span class="who"><xsl:value-of select="$tg/r:label"/><xsl:if test="not($tg/r:label)"><xsl:value-of select="$tg/@indicator-label"/></xsl:if>. </span>
                    <xsl:value-of select="r:statement[@lang = $lang]"/>
                  </div>
                </xsl:for-each>
              </xsl:otherwise>
            </xsl:choose>
            <xsl:if test="r:equity">
              <p class="equity small"><xsl:value-of select="r:equity/r:text[@lang = $lang]"/></p>
            </xsl:if>
          </xsl:for-each>
          <xsl:if test="not(r:figures)">
            <p class="muted small"><xsl:call-template name="t"><xsl:with-param name="k" select="'no_charts'"/></xsl:call-template></p>
          </xsl:if>
        </section>

        <section>
          <h2><xsl:call-template name="t"><xsl:with-param name="k" select="'targets'"/></xsl:call-template></h2>
          <table>
            <thead>
              <tr>
                <th><xsl:call-template name="t"><xsl:with-param name="k" select="'target'"/></xsl:call-template></th>
                <th><xsl:call-template name="t"><xsl:with-param name="k" select="'unit'"/></xsl:call-template></th>
                <th class="n"><xsl:call-template name="t"><xsl:with-param name="k" select="'baseline'"/></xsl:call-template></th>
                <th class="n"><xsl:call-template name="t"><xsl:with-param name="k" select="'latest'"/></xsl:call-template></th>
                <th class="n"><xsl:call-template name="t"><xsl:with-param name="k" select="'gap'"/></xsl:call-template></th>
                <th class="n"><xsl:call-template name="t"><xsl:with-param name="k" select="'needed'"/></xsl:call-template></th>
                <th class="n"><xsl:call-template name="t"><xsl:with-param name="k" select="'required'"/></xsl:call-template></th>
                <th class="n"><xsl:call-template name="t"><xsl:with-param name="k" select="'projection'"/></xsl:call-template></th>
                <th><xsl:call-template name="t"><xsl:with-param name="k" select="'status'"/></xsl:call-template></th>
              </tr>
            </thead>
            <tbody>
              <xsl:for-each select="r:assessments/r:target/r:assessment">
                <xsl:variable name="i" select="../@target"/>
                <xsl:variable name="tg" select="/r:report/r:resolution/r:target[@index = $i]"/>
                <xsl:variable name="u" select="$tg/@indicator-unit"/>
                <tr>
                  <td><xsl:value-of select="../r:text[@lang = $lang]"/></td>
                  <td><xsl:value-of select="@unit-name"/><xsl:if test="@synthetic = 'true'">*</xsl:if></td>
                  <td class="n">
                    <xsl:if test="r:baseline">
                      <xsl:call-template name="value"><xsl:with-param name="v" select="r:baseline/@value"/><xsl:with-param name="unit" select="$u"/></xsl:call-template>
                      <span class="muted small"> (<xsl:value-of select="r:baseline/@year"/>)</span>
                    </xsl:if>
                  </td>
                  <td class="n">
                    <xsl:choose>
                      <xsl:when test="r:latest">
                        <xsl:call-template name="value"><xsl:with-param name="v" select="r:latest/@value"/><xsl:with-param name="unit" select="$u"/></xsl:call-template>
                        <span class="muted small"> (<xsl:value-of select="r:latest/@year"/><xsl:if test="r:latest/@estimated = 'true'">, <xsl:call-template name="t"><xsl:with-param name="k" select="'estimate'"/></xsl:call-template></xsl:if>)</span>
                      </xsl:when>
                      <xsl:otherwise>–</xsl:otherwise>
                    </xsl:choose>
                  </td>
                  <td class="n">
                    <xsl:choose>
                      <xsl:when test="r:gap and r:gap &gt; 0">
                        <xsl:call-template name="num"><xsl:with-param name="v" select="r:gap"/></xsl:call-template>
                        <xsl:if test="$u = '%'"><xsl:text> </xsl:text><xsl:call-template name="t"><xsl:with-param name="k" select="'points_unit'"/></xsl:call-template></xsl:if>
                      </xsl:when>
                      <xsl:when test="r:gap">0</xsl:when>
                      <xsl:otherwise>–</xsl:otherwise>
                    </xsl:choose>
                  </td>
                  <td class="n">
                    <xsl:choose>
                      <xsl:when test="r:participants-needed and r:gap &gt; 0">
                        <xsl:call-template name="num"><xsl:with-param name="v" select="r:participants-needed"/><xsl:with-param name="p" select="'#,##0'"/></xsl:call-template>
                      </xsl:when>
                      <xsl:otherwise>–</xsl:otherwise>
                    </xsl:choose>
                  </td>
                  <td class="n">
                    <xsl:choose>
                      <xsl:when test="r:required-annual-change and r:gap &gt; 0">
                        <xsl:call-template name="num"><xsl:with-param name="v" select="r:required-annual-change"/><xsl:with-param name="p" select="'#,##0.00'"/></xsl:call-template>
                        <xsl:if test="$u = '%'"><xsl:text> </xsl:text><xsl:call-template name="t"><xsl:with-param name="k" select="'points_unit'"/></xsl:call-template></xsl:if>
                      </xsl:when>
                      <xsl:otherwise>–</xsl:otherwise>
                    </xsl:choose>
                  </td>
                  <td class="n">
                    <xsl:choose>
                      <xsl:when test="r:projection">
                        <xsl:call-template name="value"><xsl:with-param name="v" select="r:projection/@value"/><xsl:with-param name="unit" select="$u"/></xsl:call-template>
                      </xsl:when>
                      <xsl:otherwise>–</xsl:otherwise>
                    </xsl:choose>
                  </td>
                  <td><span class="status {@status}"><xsl:value-of select="@status-label"/></span></td>
                </tr>
              </xsl:for-each>
            </tbody>
          </table>
          <xsl:for-each select="r:assessments/r:target/r:assessment[r:fit][1]">
            <p class="muted small">
              <xsl:call-template name="t"><xsl:with-param name="k" select="'fit'"/></xsl:call-template>
              <xsl:text>: </xsl:text>
              <xsl:call-template name="t"><xsl:with-param name="k" select="'fit_text'"/></xsl:call-template>
              <xsl:text> </xsl:text>
              <xsl:value-of select="r:fit/r:point[1]/@year"/>–<xsl:value-of select="r:fit/r:point[last()]/@year"/>
              <xsl:text> (</xsl:text><xsl:value-of select="r:fit/@method"/><xsl:text>).</xsl:text>
            </p>
          </xsl:for-each>
        </section>

        <section>
          <h2><xsl:call-template name="t"><xsl:with-param name="k" select="'tables'"/></xsl:call-template></h2>
          <xsl:apply-templates select="r:tables/r:table"/>
        </section>

        <section>
          <h2><xsl:call-template name="t"><xsl:with-param name="k" select="'findings'"/></xsl:call-template></h2>
          <xsl:choose>
            <xsl:when test="r:findings/@count = 0">
              <p><xsl:call-template name="t"><xsl:with-param name="k" select="'no_findings'"/></xsl:call-template></p>
            </xsl:when>
            <xsl:otherwise>
              <p>
                <xsl:call-template name="t"><xsl:with-param name="k" select="'n_findings'"/></xsl:call-template>
                <xsl:text>: </xsl:text><xsl:value-of select="r:findings/@count"/>
              </p>
              <ul>
                <xsl:for-each select="r:findings/r:group">
                  <li><xsl:value-of select="r:statement[@lang = $lang]"/></li>
                </xsl:for-each>
              </ul>
              <details>
              <summary><xsl:call-template name="t"><xsl:with-param name="k" select="'details'"/></xsl:call-template></summary>
              <table>
                <thead><tr>
                  <th><xsl:call-template name="t"><xsl:with-param name="k" select="'severity'"/></xsl:call-template></th>
                  <th><xsl:call-template name="t"><xsl:with-param name="k" select="'where'"/></xsl:call-template></th>
                  <th><xsl:call-template name="t"><xsl:with-param name="k" select="'message'"/></xsl:call-template></th>
                </tr></thead>
                <tbody>
                  <xsl:for-each select="r:findings/r:finding">
                    <tr>
                      <td><xsl:call-template name="t"><xsl:with-param name="k" select="@severity"/></xsl:call-template></td>
                      <td class="small"><xsl:value-of select="@unit"/>, <xsl:value-of select="@measure"/>, <xsl:value-of select="@period"/></td>
                      <td class="small"><xsl:value-of select="."/></td>
                    </tr>
                  </xsl:for-each>
                </tbody>
              </table>
              </details>
            </xsl:otherwise>
          </xsl:choose>
        </section>

        <section>
          <h2><xsl:call-template name="t"><xsl:with-param name="k" select="'provenance'"/></xsl:call-template></h2>
          <dl class="meta">
            <xsl:if test="r:provenance/r:source">
              <dt><xsl:call-template name="t"><xsl:with-param name="k" select="'source'"/></xsl:call-template></dt>
              <dd><xsl:value-of select="r:provenance/r:source"/></dd>
            </xsl:if>
            <dt><xsl:call-template name="t"><xsl:with-param name="k" select="'version'"/></xsl:call-template></dt>
            <dd><xsl:value-of select="r:provenance/@hicov-version"/></dd>
            <dt><xsl:call-template name="t"><xsl:with-param name="k" select="'generated'"/></xsl:call-template></dt>
            <dd><xsl:value-of select="r:provenance/@generated"/></dd>
            <xsl:if test="r:provenance/r:boundaries">
              <dt><xsl:call-template name="t"><xsl:with-param name="k" select="'boundaries'"/></xsl:call-template></dt>
              <dd><xsl:value-of select="r:provenance/r:boundaries/r:statement[@lang = $lang]"/></dd>
            </xsl:if>
          </dl>
          <xsl:if test="r:provenance/r:input">
            <table>
              <thead><tr>
                <th><xsl:call-template name="t"><xsl:with-param name="k" select="'role'"/></xsl:call-template></th>
                <th><xsl:call-template name="t"><xsl:with-param name="k" select="'file'"/></xsl:call-template></th>
                <th class="n"><xsl:call-template name="t"><xsl:with-param name="k" select="'bytes'"/></xsl:call-template></th>
                <th>SHA-256</th>
              </tr></thead>
              <tbody>
                <xsl:for-each select="r:provenance/r:input">
                  <tr>
                    <td><xsl:value-of select="@role"/></td>
                    <td><code><xsl:value-of select="@path"/></code></td>
                    <td class="n"><xsl:call-template name="num"><xsl:with-param name="v" select="@bytes"/><xsl:with-param name="p" select="'#,##0'"/></xsl:call-template></td>
                    <td><code><xsl:value-of select="@sha256"/></code></td>
                  </tr>
                </xsl:for-each>
              </tbody>
            </table>
          </xsl:if>
        </section>

        <footer>
          <xsl:if test="r:document/@synthetic-units = 'true'">
            <p><xsl:call-template name="t"><xsl:with-param name="k" select="'synthetic_note'"/></xsl:call-template></p>
          </xsl:if>
          <p><xsl:call-template name="t"><xsl:with-param name="k" select="'estimate_note'"/></xsl:call-template></p>
          <p><xsl:call-template name="t"><xsl:with-param name="k" select="'footer'"/></xsl:call-template></p>
        </footer>
    </div>
  </xsl:template>

  <xsl:template name="css">
<xsl:text>.hicov-report { --ink: #1b1f24; --muted: #5b6470; --rule: #d5dae0; --head: #eef2f6;
        --ok: #1e7d3a; --track: #1f5fa8; --risk: #b26a00; --miss: #b3261e; --unk: #6b7280;
        font-family: "Noto Sans", "DejaVu Sans", "Segoe UI", Arial, sans-serif;
        color: var(--ink); line-height: 1.45; margin: 0 auto; max-width: 60rem;
        padding: 1.5rem; font-size: 11pt; }
.hicov-report, .hicov-report * { box-sizing: border-box; }
.hicov-report header { border-bottom: 3px solid var(--track); padding-bottom: .8rem; margin-bottom: 1.2rem; }
.hicov-report header .kicker { color: var(--muted); text-transform: uppercase; letter-spacing: .06em; font-size: 9pt; }
.hicov-report h1 { font-size: 19pt; margin: .2rem 0 .3rem; line-height: 1.2; }
.hicov-report h1 + p { margin: 0 0 .6rem; font-size: 12pt; }
.hicov-report h2 { font-size: 13.5pt; margin: 1.6rem 0 .5rem; border-bottom: 1px solid var(--rule); padding-bottom: .2rem;
     break-after: avoid; }
.hicov-report h3 { font-size: 11.5pt; margin: 1.1rem 0 .4rem; break-after: avoid; }
.hicov-report dl.meta { display: grid; grid-template-columns: max-content 1fr; gap: .15rem 1rem; margin: 0; font-size: 10pt; }
.hicov-report dl.meta dt { color: var(--muted); }
.hicov-report dl.meta dd { margin: 0; }
.hicov-report table { border-collapse: collapse; width: 100%; font-size: 9.5pt; margin: .3rem 0 .8rem; }
.hicov-report th, .hicov-report td { border-bottom: 1px solid var(--rule); padding: .28rem .45rem; text-align: left; vertical-align: top; }
.hicov-report thead th { background: var(--head); font-weight: 600; border-bottom: 1px solid #aab3bd; }
.hicov-report td.n, .hicov-report th.n { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.hicov-report tr.total td { font-weight: 600; border-top: 1.5px solid #8a949f; }
.hicov-report tr { break-inside: avoid; }
.hicov-report .status { display: inline-block; padding: .05rem .5rem; border-radius: .7rem; color: #fff;
          font-size: 8.5pt; font-weight: 600; white-space: nowrap; }
.hicov-report .achieved { background: var(--ok); } .hicov-report .on-track { background: var(--track); }
.hicov-report .at-risk { background: var(--risk); } .hicov-report .not-achieved { background: var(--miss); } .hicov-report .unknown { background: var(--unk); }
.hicov-report .statement { border-left: 4px solid var(--rule); padding: .35rem .8rem; margin: .5rem 0; background: #fafbfc; }
.hicov-report .statement.not-achieved { border-color: var(--miss); } .hicov-report .statement.at-risk { border-color: var(--risk); }
.hicov-report .statement.on-track { border-color: var(--track); } .hicov-report .statement.achieved { border-color: var(--ok); }
.hicov-report .statement .who { font-weight: 600; }
.hicov-report .muted { color: var(--muted); }
.hicov-report figure { margin: .6rem 0; } .hicov-report figure img { max-width: 100%; height: auto; }
.hicov-report .small { font-size: 8.5pt; }
.hicov-report code { font-size: 8.5pt; word-break: break-all; }
.hicov-report footer { margin-top: 2rem; border-top: 1px solid var(--rule); padding-top: .5rem; color: var(--muted); font-size: 8.5pt; }
@media print { .hicov-report { padding: 0; max-width: none; font-size: 10pt; }
  .hicov-report .statement { background: none; } .hicov-report a { color: inherit; text-decoration: none; } }
</xsl:text>
  </xsl:template>

  <xsl:template match="r:table">
    <xsl:variable name="table" select="."/>
    <h3>
      <xsl:value-of select="@title"/>
      <xsl:if test="@period"><xsl:text> – </xsl:text><xsl:value-of select="@period"/></xsl:if>
    </h3>
    <table>
      <thead>
        <tr>
          <th>
            <xsl:choose>
              <xsl:when test="@id = 'by-year'"><xsl:call-template name="t"><xsl:with-param name="k" select="'period'"/></xsl:call-template></xsl:when>
              <xsl:otherwise><xsl:call-template name="t"><xsl:with-param name="k" select="'unit'"/></xsl:call-template></xsl:otherwise>
            </xsl:choose>
          </th>
          <xsl:for-each select="r:column">
            <xsl:variable name="ind" select="@indicator"/>
            <th class="n">
              <xsl:value-of select="@label"/>
              <xsl:if test="@unit = 'VND'">
                <br/><span class="muted small">(<xsl:choose>
                  <xsl:when test="$table/r:row/r:cell[@indicator = $ind][@value &gt;= 1000000000]"><xsl:call-template name="t"><xsl:with-param name="k" select="'billion'"/></xsl:call-template></xsl:when>
                  <xsl:otherwise><xsl:call-template name="t"><xsl:with-param name="k" select="'dong'"/></xsl:call-template></xsl:otherwise>
                </xsl:choose>)</span>
              </xsl:if>
            </th>
          </xsl:for-each>
        </tr>
      </thead>
      <tbody>
        <xsl:for-each select="r:row">
          <tr>
            <xsl:if test="@total = 'true'"><xsl:attribute name="class">total</xsl:attribute></xsl:if>
            <td><xsl:value-of select="@label"/><xsl:if test="@synthetic = 'true'">*</xsl:if></td>
            <xsl:for-each select="r:cell">
              <xsl:variable name="ind" select="@indicator"/>
              <xsl:variable name="col" select="$table/r:column[@indicator = $ind]"/>
              <td class="n">
                <xsl:choose>
                  <xsl:when test="@value">
                    <xsl:call-template name="value">
                      <xsl:with-param name="v" select="@value"/>
                      <xsl:with-param name="unit" select="$col/@unit"/>
                      <xsl:with-param name="billions" select="boolean($table/r:row/r:cell[@indicator = $ind][@value &gt;= 1000000000])"/>
                    </xsl:call-template>
                    <xsl:if test="@estimated = 'true'">
                      <abbr><xsl:attribute name="title"><xsl:call-template name="t"><xsl:with-param name="k" select="'crosswalk_estimate'"/></xsl:call-template></xsl:attribute>*</abbr>
                    </xsl:if>
                  </xsl:when>
                  <xsl:otherwise><span class="muted" title="{@missing}">–</span></xsl:otherwise>
                </xsl:choose>
              </td>
            </xsl:for-each>
          </tr>
        </xsl:for-each>
      </tbody>
    </table>
    <xsl:if test="r:row/r:cell[@estimated = 'true']">
      <p class="muted small">* <xsl:call-template name="t"><xsl:with-param name="k" select="'crosswalk_estimate'"/></xsl:call-template></p>
    </xsl:if>
  </xsl:template>
</xsl:stylesheet>

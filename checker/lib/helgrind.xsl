<?xml version="1.0" encoding="UTF-8"?>
<!--
  helgrind.xsl - flatten Valgrind's XML output (protocol 4) into lines that
  helgrind.jq reads.

  Usage: xsltproc checker/lib/helgrind.xsl FILE.xml, piped into
  checker/lib/helgrind.jq (its header gives the jq options).

  Output, one line per record, fields separated by tabs:

    error  unique=0x0  tid=3  kind=Race  what=...  hthreadid=3  stack
           frame  ip=...  obj=...  fn=...  dir=...  file=...  line=...
           frame  ...  auxwhat=...  hthreadid=2  stack  frame ...
    fatal_signal  tid=2  signo=11  signame=SIGSEGV  event=...  stack  frame ...
    status  state=FINISHED

  A field is either a bare marker ("stack", "frame") or "key=value"; its
  meaning comes from its position after the last marker, so the parts of
  an error stay in document order (a what, then its stack; an auxwhat, then
  its stack).  Every value goes through normalize-space(), so no tab or
  newline from the program's names can break a line.  Only the last
  <status> is written: Valgrind writes RUNNING first and FINISHED only
  when the run ended normally.

  A truncated or malformed file is not well-formed XML: xsltproc then
  prints a parser error, writes nothing and exits 6, and the caller must
  treat the run as failed, never as clean (in a pipeline, check
  PIPESTATUS or use pipefail; helgrind.jq alone only sees empty input and
  says "complete": false).

  xsltproc expands a DOCTYPE's external entities, even with nonet and
  novalid, so a file rewritten by the program under test could pull any
  file the caller can read into the report.  Valgrind never writes a
  DOCTYPE: the caller should refuse a file that contains one.
-->
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">
  <xsl:output method="text" encoding="UTF-8"/>

  <xsl:template match="/">
    <xsl:apply-templates select="valgrindoutput/error | valgrindoutput/fatal_signal"/>
    <xsl:apply-templates select="valgrindoutput/status[last()]"/>
  </xsl:template>

  <!-- One "<TAB>key=value" field. -->
  <xsl:template name="field">
    <xsl:param name="key"/>
    <xsl:param name="value"/>
    <xsl:text>&#9;</xsl:text>
    <xsl:value-of select="$key"/>
    <xsl:text>=</xsl:text>
    <xsl:value-of select="normalize-space($value)"/>
  </xsl:template>

  <!-- A field for each child element that is present, named after it. -->
  <xsl:template match="*" mode="fields">
    <xsl:call-template name="field">
      <xsl:with-param name="key" select="local-name()"/>
      <xsl:with-param name="value" select="."/>
    </xsl:call-template>
  </xsl:template>

  <xsl:template match="error">
    <xsl:text>error</xsl:text>
    <xsl:apply-templates select="unique | tid | threadname | kind" mode="fields"/>
    <xsl:apply-templates select="what | xwhat | auxwhat | xauxwhat | stack"/>
    <xsl:text>&#10;</xsl:text>
  </xsl:template>

  <xsl:template match="fatal_signal">
    <xsl:text>fatal_signal</xsl:text>
    <xsl:apply-templates select="tid | signo | signame | event | siaddr" mode="fields"/>
    <xsl:apply-templates select="stack"/>
    <xsl:text>&#10;</xsl:text>
  </xsl:template>

  <xsl:template match="status">
    <xsl:text>status</xsl:text>
    <xsl:apply-templates select="state" mode="fields"/>
    <xsl:text>&#10;</xsl:text>
  </xsl:template>

  <!-- <what>text</what> and <xwhat><text/><hthreadid/>...</xwhat>; the
       thread ids name the threads the text mentions, in its order. -->
  <xsl:template match="what | auxwhat">
    <xsl:call-template name="field">
      <xsl:with-param name="key" select="local-name()"/>
      <xsl:with-param name="value" select="."/>
    </xsl:call-template>
  </xsl:template>

  <xsl:template match="xwhat | xauxwhat">
    <xsl:call-template name="field">
      <xsl:with-param name="key" select="substring-after(local-name(), 'x')"/>
      <xsl:with-param name="value" select="text"/>
    </xsl:call-template>
    <xsl:apply-templates select="hthreadid" mode="fields"/>
  </xsl:template>

  <xsl:template match="stack">
    <xsl:text>&#9;stack</xsl:text>
    <xsl:apply-templates select="frame"/>
  </xsl:template>

  <xsl:template match="frame">
    <xsl:text>&#9;frame</xsl:text>
    <xsl:apply-templates select="ip | obj | fn | dir | file | line" mode="fields"/>
  </xsl:template>
</xsl:stylesheet>

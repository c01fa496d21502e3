<?xml version="1.0" encoding="UTF-8"?>
<!--
  Shows an Atom or RSS feed as a readable page when it is opened in a browser.
  Feed readers ignore it. Every value goes through xsl:value-of (escaped):
  nothing from the feed is ever emitted as markup.
-->
<xsl:stylesheet version="1.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:atom="http://www.w3.org/2005/Atom"
    exclude-result-prefixes="atom">
  <xsl:output method="html" encoding="UTF-8" indent="yes"
      doctype-system="about:legacy-compat"/>

  <xsl:template match="/">
    <html>
      <xsl:attribute name="lang">
        <xsl:value-of select="(atom:feed/@xml:lang | rss/channel/language)[1]"/>
      </xsl:attribute>
      <head>
        <meta charset="utf-8"/>
        <meta name="viewport" content="width=device-width, initial-scale=1"/>
        <title><xsl:value-of select="atom:feed/atom:title | rss/channel/title"/> (feed)</title>
        <style>
          body{font:16px/1.5 system-ui,sans-serif;max-width:46rem;margin:2rem auto;padding:0 1rem;color:#222}
          .about{background:#f4f4fb;border-radius:.4rem;padding:.6rem 1rem}
          code{word-break:break-all}
          article{border-top:1px solid #ddd;padding:.6rem 0}
          h2{font-size:1.1rem;margin:.2rem 0}
          time{color:#666;font-size:.9rem}
          .label{font-size:.8rem;background:#eef;border-radius:.3rem;padding:0 .3rem;margin-left:.4rem}
        </style>
      </head>
      <body>
        <xsl:apply-templates select="atom:feed | rss/channel"/>
      </body>
    </html>
  </xsl:template>

  <xsl:template match="atom:feed">
    <h1><xsl:value-of select="atom:title"/></h1>
    <p><xsl:value-of select="atom:subtitle"/></p>
    <xsl:call-template name="about">
      <xsl:with-param name="self" select="atom:link[@rel='self']/@href"/>
      <xsl:with-param name="page" select="atom:link[@rel='alternate']/@href"/>
    </xsl:call-template>
    <xsl:for-each select="atom:entry">
      <article>
        <xsl:if test="@xml:lang">
          <xsl:attribute name="lang"><xsl:value-of select="@xml:lang"/></xsl:attribute>
        </xsl:if>
        <h2><a href="{atom:link[@rel='alternate']/@href}"><xsl:value-of select="atom:title"/></a></h2>
        <time datetime="{atom:updated}">
          <xsl:value-of select="substring((atom:published | atom:updated)[1], 1, 10)"/>
        </time>
        <xsl:for-each select="atom:category">
          <span class="label">
            <xsl:choose>
              <xsl:when test="@label"><xsl:value-of select="@label"/></xsl:when>
              <xsl:otherwise><xsl:value-of select="@term"/></xsl:otherwise>
            </xsl:choose>
          </span>
        </xsl:for-each>
        <p><xsl:value-of select="atom:summary"/></p>
      </article>
    </xsl:for-each>
  </xsl:template>

  <xsl:template match="rss/channel">
    <h1><xsl:value-of select="title"/></h1>
    <p><xsl:value-of select="description"/></p>
    <xsl:call-template name="about">
      <xsl:with-param name="self" select="atom:link[@rel='self']/@href"/>
      <xsl:with-param name="page" select="link"/>
    </xsl:call-template>
    <xsl:for-each select="item">
      <article>
        <h2><a href="{link}"><xsl:value-of select="title"/></a></h2>
        <time><xsl:value-of select="pubDate"/></time>
        <xsl:for-each select="category">
          <span class="label"><xsl:value-of select="."/></span>
        </xsl:for-each>
        <!-- spfeed's description is plain text escaped as HTML: unescape it
             as text (never as markup) -->
        <p>
          <xsl:call-template name="unescape">
            <xsl:with-param name="text" select="description"/>
          </xsl:call-template>
        </p>
      </article>
    </xsl:for-each>
  </xsl:template>

  <xsl:template name="unescape">
    <xsl:param name="text"/>
    <xsl:call-template name="replace">
      <xsl:with-param name="text">
        <xsl:call-template name="replace">
          <xsl:with-param name="text">
            <xsl:call-template name="replace">
              <xsl:with-param name="text" select="$text"/>
              <xsl:with-param name="from" select="'&amp;lt;'"/>
              <xsl:with-param name="to" select="'&lt;'"/>
            </xsl:call-template>
          </xsl:with-param>
          <xsl:with-param name="from" select="'&amp;gt;'"/>
          <xsl:with-param name="to" select="'&gt;'"/>
        </xsl:call-template>
      </xsl:with-param>
      <xsl:with-param name="from" select="'&amp;amp;'"/>
      <xsl:with-param name="to" select="'&amp;'"/>
    </xsl:call-template>
  </xsl:template>

  <xsl:template name="replace">
    <xsl:param name="text"/>
    <xsl:param name="from"/>
    <xsl:param name="to"/>
    <xsl:choose>
      <xsl:when test="contains($text, $from)">
        <xsl:value-of select="substring-before($text, $from)"/>
        <xsl:value-of select="$to"/>
        <xsl:call-template name="replace">
          <xsl:with-param name="text" select="substring-after($text, $from)"/>
          <xsl:with-param name="from" select="$from"/>
          <xsl:with-param name="to" select="$to"/>
        </xsl:call-template>
      </xsl:when>
      <xsl:otherwise><xsl:value-of select="$text"/></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <xsl:template name="about">
    <xsl:param name="self"/>
    <xsl:param name="page"/>
    <div class="about">
      <p>This is a web feed. To follow it, copy its address into your feed reader:
        <code><xsl:value-of select="$self"/></code></p>
      <p>It mirrors <a href="{$page}"><xsl:value-of select="$page"/></a>.
        <a>
          <!-- index.html sits in the output directory; subfolder feeds are one level down -->
          <xsl:attribute name="href">
            <xsl:if test="contains($self, '/category/') or contains($self, '/source/')">../</xsl:if>
            <xsl:text>index.html</xsl:text>
          </xsl:attribute>
          <xsl:text>All feeds</xsl:text>
        </a></p>
    </div>
  </xsl:template>
</xsl:stylesheet>

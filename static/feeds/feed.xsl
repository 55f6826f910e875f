<?xml version="1.0" encoding="utf-8"?>
<!-- Shows the site's RSS and Atom feeds as a page when a browser opens one. -->
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform" xmlns:atom="http://www.w3.org/2005/Atom">
  <xsl:output method="html" encoding="utf-8"/>
  <xsl:template match="/">
    <html lang="en">
      <head>
        <meta charset="utf-8"/>
        <meta name="viewport" content="width=device-width, initial-scale=1"/>
        <title><xsl:value-of select="rss/channel/title | atom:feed/atom:title"/> (feed)</title>
      </head>
      <body style="font-family: system-ui, sans-serif; max-width: 46rem; margin: 0 auto; padding: 1rem; line-height: 1.6; color: #1d1f23;">
        <p style="padding: .75rem; background: #e8f1fb; border-radius: 6px;">
          This is a feed. Copy its address into a feed reader to follow new posts.
        </p>
        <h1><xsl:value-of select="rss/channel/title | atom:feed/atom:title"/></h1>
        <p><xsl:value-of select="rss/channel/description | atom:feed/atom:subtitle"/></p>
        <xsl:for-each select="rss/channel/item | atom:feed/atom:entry">
          <article style="border-top: 1px solid #d9dde3; padding: .5rem 0;">
            <h2 style="margin-bottom: .25rem;">
              <a>
                <xsl:attribute name="href"><xsl:value-of select="link | atom:link/@href"/></xsl:attribute>
                <xsl:value-of select="title | atom:title"/>
              </a>
            </h2>
            <p style="color: #555b66; margin: 0;"><xsl:value-of select="pubDate | atom:published"/></p>
          </article>
        </xsl:for-each>
      </body>
    </html>
  </xsl:template>
</xsl:stylesheet>

/** The one function of @mapbox/geojson-rewind (0.5.2, no types of its own) that png.ts uses. */
declare module '@mapbox/geojson-rewind' {
  /**
   * Rewinds every polygon ring of `geojson` in place and returns it: with `clockwise` true, exterior
   * rings clockwise and holes counter-clockwise (d3-geo's convention), otherwise RFC 7946's.
   */
  export default function rewind<T>(geojson: T, clockwise?: boolean): T;
}

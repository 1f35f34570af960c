/** ESP-IDF NVS partition images: the format, a writer and a checking reader. */
export {
  ENTRIES_PER_PAGE, ENTRY_BYTES, ITEM_TYPE, MAX_KEY_BYTES, MAX_VALUE_BYTES, NvsError, nvsCrc32, PAGE_BYTES, type IntegerType,
} from './format.js';
export { writeNvsImage, type NvsInteger, type NvsItem, type NvsValue } from './write.js';
export {
  readNvsImage, type NvsContents, type NvsItemType, type NvsProblem, type NvsReadItem, type NvsReadValue,
} from './read.js';

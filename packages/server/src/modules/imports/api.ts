// What other features may use of imports: the one door into it (the boundary test holds every
// other feature to this file). Workbooks other features write load exceljs and guard cells alike.
export { textForSpreadsheet } from './cells.js';
export { loadExcel } from './workbooks.js';

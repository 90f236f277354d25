/**
 * The features' commands and card actions in Teams, registered on import (see commands.ts):
 * each file registers its command words and its Action.Execute verbs.
 */
import './commands-calendar.js';
import './commands-kpi.js';
import './commands-inquiries.js';
import './commands-oncall.js';

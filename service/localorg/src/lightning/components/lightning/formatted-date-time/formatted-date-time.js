import { LightningElement, api } from 'lwc';
import { userLocale, userTimeZone } from 'salesforce/context';

/**
 * Stand-in for lightning-formatted-date-time: formats a date, a timestamp or an ISO 8601 string
 * with Intl.DateTimeFormat in the user's locale and time zone, taking the same attributes.
 * https://developer.salesforce.com/docs/component-library/bundle/lightning-formatted-date-time/specification
 */
export default class FormattedDateTime extends LightningElement {
  @api value;
  @api weekday;
  @api era;
  @api year;
  @api month;
  @api day;
  @api hour;
  @api minute;
  @api second;
  @api timeZoneName;
  @api timeZone;
  @api hour12;

  get text() {
    if (this.value === undefined || this.value === null || this.value === '') return '';
    const date = new Date(this.value);
    if (Number.isNaN(date.getTime())) return '';
    const options = {};
    for (const key of [
      'weekday',
      'era',
      'year',
      'month',
      'day',
      'hour',
      'minute',
      'second',
      'timeZoneName',
    ]) {
      if (this[key]) options[key] = this[key];
    }
    if (Object.keys(options).length === 0) {
      options.year = 'numeric';
      options.month = 'numeric';
      options.day = 'numeric';
    }
    if (this.hour12 !== undefined)
      options.hour12 = this.hour12 !== false && this.hour12 !== 'false';
    options.timeZone = this.timeZone || userTimeZone();
    return new Intl.DateTimeFormat(userLocale(), options).format(date);
  }
}

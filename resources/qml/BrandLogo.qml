import QtQuick

// A brand's logo drawn from its SVG at the size it is shown, never scaled up blurry.
Image {
    property int side: 200
    width: side
    height: side
    sourceSize.width: side
    sourceSize.height: side
    fillMode: Image.PreserveAspectFit
    asynchronous: false
    smooth: true
}
